import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobUriUses, type TrainingInput } from '@stratus/spec';
import { startWorker, type StratusWorker } from './worker.js';
import { irisInput, workerFixture, type WorkerFixture } from './worker.test-support.js';

let fixture: WorkerFixture;
let worker: StratusWorker;

beforeAll(async () => {
  fixture = await workerFixture();
  worker = await startWorker(fixture.config, { heartbeatIntervalMs: 500 });
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await fixture?.close();
}, 60_000);

describe('the worker re-checks bucket access before a trial reads or writes', () => {
  it('fails a trial whose READER grant was revoked after submit, naming field and bucket, without retries', async () => {
    const { buckets } = fixture.store;
    await fixture.storage.copy('gs://demo/data/iris.csv', 'gs://beta-data/iris.csv');
    await buckets.claim('beta', 'beta-data');
    await buckets.grant('beta', 'beta-data', 'demo', 'READER');
    const base = irisInput('revoked_1');
    const trainingInput: TrainingInput = {
      ...base,
      builtinAlgorithm: { ...base.builtinAlgorithm!, trainingData: 'gs://beta-data/iris.csv' },
    };
    // What the API does on submit: the grant is still there, so this passes.
    await buckets.authorize('demo', jobUriUses(trainingInput));
    await buckets.revoke('beta', 'beta-data', 'demo');

    await fixture.submit({ jobId: 'revoked_1', trainingInput });
    const job = await fixture.waitForState('revoked_1', ['SUCCEEDED', 'FAILED'], 60_000);
    const message =
      'Permission denied: trainingInput.builtinAlgorithm.trainingData: bucket "beta-data" belongs to another project';
    expect(job.state).toBe('FAILED');
    expect(job.errorMessage).toContain(message);
    const trials = await fixture.store.trials.list('demo', 'revoked_1');
    expect(trials.map((t) => [t.trialId, t.state, t.attempts, t.errorMessage])).toEqual([
      ['1', 'FAILED', 1, message],
    ]);
    // Nothing was written under the job dir.
    expect((await fixture.storage.list('gs://demo/jobs/revoked_1/')).objects).toEqual([]);
  });

  it('still runs a job whose buckets the project owns (claiming them on first use)', async () => {
    await fixture.submit({ jobId: 'own_1', trainingInput: irisInput('own_1', { epochs: 2 }) });
    const job = await fixture.waitForState('own_1', ['SUCCEEDED', 'FAILED'], 90_000);
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    expect(await fixture.redis.hget(fixture.store.keys.buckets.owners, 'demo')).toBe('demo');
  });
});
