/** Deploy a trained Iris job as a version and label the three classic examples with it. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Operation } from '@stratus/spec';
import { apiCall } from '../../support/stratus-e2e.js';

export const CLASSIC = [
  [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }, 'setosa'],
  [{ sepal_length: 6.4, sepal_width: 3.2, petal_length: 4.5, petal_width: 1.5 }, 'versicolor'],
  [{ sepal_length: 7.7, sepal_width: 3.0, petal_length: 6.1, petal_width: 2.3 }, 'virginica'],
] as const;

const p = '/v1/projects/default';

/**
 * Create `model` (unless it exists) and its version `version` from `jobId`'s model;
 * resolves with the done operation.
 */
export const deployIris = async (
  base: string,
  token: string,
  jobId: string,
  { model = 'iris', version = 'v1' }: { model?: string; version?: string } = {},
): Promise<Operation> => {
  await apiCall(base, token, 'POST', `${p}/models`, { name: model });
  const created = await apiCall<Operation>(base, token, 'POST', `${p}/models/${model}/versions`, {
    name: version,
    sourceJob: { jobId },
  });
  for (let i = 0; i < 600; i += 1) {
    const { body } = await apiCall<Operation>(base, token, 'GET', `/v1/${created.body.name}`);
    if (body.done === true) return body;
    await sleep(50);
  }
  throw new Error(`deploying ${model}/${version} did not finish`);
};

/** The status and labels `model` (its default version, or `version`) gives the classic three. */
export const predictClassic = async (
  base: string,
  token: string,
  { model = 'iris', version }: { model?: string; version?: string } = {},
): Promise<{ status: number; labels: string[] }> => {
  const reply = await apiCall<{ predictions?: Array<{ label: string }> }>(
    base,
    token,
    'POST',
    `${p}/models/${model}${version === undefined ? '' : `/versions/${version}`}:predict`,
    { instances: CLASSIC.map(([instance]) => instance) },
  );
  return {
    status: reply.status,
    labels: (reply.body.predictions ?? []).map((prediction) => prediction.label),
  };
};
