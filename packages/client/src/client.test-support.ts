/**
 * What tests of `StratusClient` against a real server share
 * (`@stratus/client/testing`; test-only, not built): clients for a server's
 * tokens, and the StratusApiError a call ends in.
 */
// By package name, so tests get the same StratusClient type they import themselves.
import { StratusApiError, StratusClient } from '@stratus/client';

/** The StratusApiError `promise` rejects with; anything else (or success) fails the test. */
export const apiErrorOf = async (promise: Promise<unknown>): Promise<StratusApiError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StratusApiError) return error;
    throw error;
  }
  throw new Error('expected a StratusApiError');
};

/** One client per token, all on `baseUrl` and `project`. */
export const clientsFor = <Name extends string>(
  baseUrl: string,
  project: string,
  tokens: Readonly<Record<Name, string>>,
): Record<Name, StratusClient> =>
  Object.fromEntries(
    Object.entries<string>(tokens).map(([name, token]) => [
      name,
      new StratusClient({ baseUrl, token, project }),
    ]),
  ) as Record<Name, StratusClient>;
