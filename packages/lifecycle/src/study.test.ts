import { afterAll, describe, expect, it } from 'vitest';
import type { JobInput } from '@stratus/spec';
import { jobInput, openTestStore, stratusFailure } from '../../../tests/support/test-store.js';
import { planInitialTrials } from './submit.js';
import { resolveTuning, tuningOf } from './study.js';

const t = openTestStore();
const store = t.store;
afterAll(() => t.close());

/** A grid search over three values: at most three trials in the whole study. */
const gridJob = (jobId: string, resume?: string): JobInput => {
  const base = jobInput(jobId, { tuning: 'MAXIMIZE' });
  return {
    ...base,
    trainingInput: {
      ...base.trainingInput,
      hyperparameters: {
        goal: 'MAXIMIZE',
        hyperparameterMetricTag: 'val_accuracy',
        algorithm: 'GRID_SEARCH',
        maxTrials: 3,
        maxParallelTrials: 3,
        params: [
          {
            parameterName: 'hiddenUnits',
            type: 'CATEGORICAL',
            categoricalValues: ['8', '16', '32'],
          },
        ],
        ...(resume === undefined ? {} : { resumePreviousJobId: resume }),
      },
    },
  };
};

describe('a job study', () => {
  it('reads the spec stored at submission, and resolves one stored without it', async () => {
    const input = jobInput('stored_spec', { tuning: 'MAXIMIZE' });
    const tuning = resolveTuning(input.trainingInput);
    await store.jobs.create('demo', input, tuning === undefined ? {} : { tuning });
    const stored = await store.jobs.findWithTrials('demo', 'stored_spec');
    expect(stored && tuningOf(stored.job, stored.tuning)).toEqual(tuning);
    await store.jobs.create('demo', jobInput('legacy_spec', { tuning: 'MAXIMIZE' }));
    const legacy = await store.jobs.findWithTrials('demo', 'legacy_spec');
    expect(legacy?.tuning).toBeUndefined();
    expect(legacy && tuningOf(legacy.job, legacy.tuning)).toEqual(tuning);
    await store.jobs.create('demo', jobInput('no_tuning'));
    const plain = await store.jobs.findWithTrials('demo', 'no_tuning');
    expect(plain && tuningOf(plain.job, plain.tuning)).toBeUndefined();
  });

  it('plans the same first trials for the same job, and a resumed study skips what was tried', async () => {
    const first = await planInitialTrials(store, 'demo', gridJob('grid_1'));
    expect(first.trials).toHaveLength(3);
    expect(await planInitialTrials(store, 'demo', gridJob('grid_1'))).toEqual(first);
    const done = first.trials.slice(0, 2);
    await store.jobs.create('demo', gridJob('grid_1'), { trials: done });
    const resumed = await planInitialTrials(store, 'demo', gridJob('grid_2', 'grid_1'));
    expect(resumed.trials).toEqual(first.trials.slice(2));
    expect(resumed.tuning?.resumePreviousJobId).toBe('grid_1');
  });

  it('refuses, before storing anything, a resume of a job that is missing or not a tuning job', async () => {
    const missing = await stratusFailure(planInitialTrials(store, 'demo', gridJob('r1', 'nope')));
    expect(missing.reason).toBe('INVALID_HYPERPARAMETER_SPEC');
    expect(missing.message).toContain('job "nope" does not exist in project demo');
    await store.jobs.create('demo', jobInput('plain_job'));
    const plain = await stratusFailure(
      planInitialTrials(store, 'demo', gridJob('r2', 'plain_job')),
    );
    expect(plain.message).toContain('is not a hyperparameter tuning job');
    expect(await store.jobs.find('demo', 'r1')).toBeUndefined();
  });
});
