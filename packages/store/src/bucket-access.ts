import { coerceError, type Logger, type UriUse } from '@stratus/spec';
import type { BucketStore } from './buckets.js';

/**
 * Authorize a request's bucket URIs (claiming the unclaimed ones for the
 * project, all or none), then store what the request creates. When storing
 * fails (the id is taken, the model is gone) the buckets this request just
 * claimed are given back, so a refused request leaves ownership as it was.
 */
export const withBucketAccess = async <T>(
  store: { readonly buckets: BucketStore },
  project: string,
  uses: readonly UriUse[],
  log: Pick<Logger, 'warn'>,
  create: () => Promise<T>,
): Promise<T> => {
  const { claimed } = await store.buckets.authorize(project, uses);
  try {
    return await create();
  } catch (error) {
    await store.buckets
      .undoClaims(project, claimed)
      .catch((err: unknown) =>
        log.warn({ err: coerceError(err), claimed }, 'could not give back bucket claims'),
      );
    throw error;
  }
};
