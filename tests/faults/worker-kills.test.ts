/**
 * Fault: SIGKILL a worker at seeded random epochs through a 10-trial tuning
 * job, five times, starting a replacement each time. The kills follow the
 * job's metrics stream: the moment a running trial reports its target epoch,
 * its worker dies, so all five land while the study runs. The job must end
 * SUCCEEDED with exactly 10 trials, and every killed trial must resume from a
 * checkpoint instead of starting over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { apiCall, irisTraining, waitForJob, type WorkerProcess } from '../support/stratus-e2e.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';
import { allLogs, allMetrics, epochsReached, seededRandom } from './support/job-streams.js';

const SEED = Number(process.env.FAULT_SEED ?? 20261128);
const KILLS = 5;
const EPOCHS = 8;
const jobId = 'hp_kills';

let cluster: FaultCluster;

const isUp = (worker: WorkerProcess): boolean =>
  worker.child.exitCode === null && worker.child.signalCode === null;

beforeAll(async () => {
  cluster = await startFaultCluster({ workers: 2 });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

interface Kill {
  readonly trialId: string;
  /** Epochs the trial had finished (its highest loss step) when its worker died. */
  readonly epochAtKill: number;
  readonly workerId: string;
}

describe('worker SIGKILLs during a tuning job', () => {
  it(`survives ${KILLS} SIGKILLs (seed ${SEED}): SUCCEEDED, 10 trials, killed trials resumed`, async () => {
    const random = seededRandom(SEED);
    const { store, adminToken } = cluster;
    const created = await apiCall<Job>(
      cluster.api().url,
      adminToken,
      'POST',
      '/v1/projects/default/jobs',
      {
        jobId,
        trainingInput: {
          ...irisTraining(jobId, { epochs: EPOCHS, batchSize: 4 }),
          hyperparameters: {
            goal: 'MAXIMIZE',
            hyperparameterMetricTag: 'val_accuracy',
            maxTrials: 10,
            maxParallelTrials: 2,
            params: [
              {
                parameterName: 'learningRate',
                type: 'DOUBLE',
                minValue: 0.001,
                maxValue: 0.1,
                scaleType: 'UNIT_LOG_SCALE',
              },
            ],
          },
        },
      },
    );
    expect(created.status).toBe(200);

    const kills: Kill[] = [];
    // Replacements start in the background, so the study keeps moving while they boot.
    const replacements: Promise<unknown>[] = [];
    // Each kill's target: a trial's loss report for an epoch in 2..EPOCHS-1. Reports come before
    // the epoch's checkpoint is written, so the previous epoch's checkpoint (>= 1) is there to
    // resume from, and at least one epoch is left to train.
    const nextTarget = (): number => 2 + Math.floor(random() * (EPOCHS - 2));
    let target = nextTarget();
    for await (const point of store.streams.followMetrics('default', jobId)) {
      if (point.name !== 'loss' || point.step < target || point.step >= EPOCHS) continue;
      const trial = await store.trials.get('default', jobId, point.trialId);
      const victim = cluster.workers.find(
        (worker) => worker.workerId === trial?.workerId && isUp(worker),
      );
      if (
        trial?.state !== 'RUNNING' ||
        victim === undefined ||
        // A trial survives two worker deaths (the worker's maxStalledCount); a third fails it.
        kills.filter((kill) => kill.trialId === trial.trialId).length >= 2
      ) {
        continue;
      }
      victim.child.kill('SIGKILL');
      await victim.exited;
      replacements.push(cluster.spawnWorker());
      // The trial may have finished on the victim between the check above and the kill.
      const after = await store.trials.get('default', jobId, point.trialId);
      if (after?.state === 'SUCCEEDED' && after.workerId === victim.workerId) continue;
      const epochAtKill = epochsReached(await allMetrics(store, jobId)).get(point.trialId) ?? 0;
      kills.push({ trialId: point.trialId, epochAtKill, workerId: victim.workerId });
      if (kills.length === KILLS) break; // closes the follow
      target = nextTarget();
    }
    // The follow ends on its own only when the job does.
    expect(kills, `kills before the job ended: ${JSON.stringify(kills)}`).toHaveLength(KILLS);
    await Promise.all(replacements);

    const job = await waitForJob(
      cluster.api().url,
      adminToken,
      jobId,
      ['SUCCEEDED', 'FAILED', 'CANCELLED'],
      150_000,
    );
    const trials = await store.trials.list('default', jobId);
    const summary = trials.map((t) => [t.trialId, t.state, t.attempts, t.workerId, t.errorMessage]);
    console.info(
      `worker-kills: job ${job.state}, kills ${JSON.stringify(kills)}, trials ${JSON.stringify(summary)}`,
    );
    expect(job.state).toBe('SUCCEEDED');
    expect(job.trainingOutput?.completedTrialCount).toBe('10');
    expect(trials.map((trial) => trial.trialId).sort((a, b) => Number(a) - Number(b))).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    expect(trials.every((trial) => trial.state === 'SUCCEEDED')).toBe(true);

    const logs = await allLogs(store, jobId);
    const metrics = await allMetrics(store, jobId);
    for (const kill of kills) {
      const trial = trials.find((candidate) => candidate.trialId === kill.trialId);
      expect(trial?.attempts, `trial ${kill.trialId}`).toBeGreaterThanOrEqual(2);
      expect(trial?.workerId).not.toBe(kill.workerId);
      expect(kills.filter((other) => other.workerId === kill.workerId)).toHaveLength(1);
      const losses = metrics.filter((p) => p.trialId === kill.trialId && p.name === 'loss');
      const resumed = logs
        .filter((entry) => entry.trialId === kill.trialId)
        .map((entry) => /Resuming from the checkpoint after epoch (\d+)/.exec(entry.message)?.[1])
        .filter((epoch) => epoch !== undefined)
        .map(Number);
      // Every trial trains to the last epoch: it reports that epoch's loss, or (killed after
      // the last checkpoint was saved but before its loss was reported) resumes from it.
      expect(
        Math.max(...losses.map((p) => p.step), ...resumed),
        `trial ${kill.trialId} last epoch`,
      ).toBe(EPOCHS);
      if (kill.epochAtKill < 1) continue;
      expect(resumed.length, `trial ${kill.trialId} resumed`).toBeGreaterThanOrEqual(1);
      expect(Math.max(...resumed)).toBeGreaterThanOrEqual(1);
      // Redone from scratch it would have reported EPOCHS more loss points than it did.
      expect(losses.length).toBeLessThan(kill.epochAtKill + EPOCHS);
    }
    const resumedKills = kills.filter((kill) => kill.epochAtKill >= 1).length;
    expect(resumedKills).toBeGreaterThanOrEqual(1);
    console.info(
      `worker-kills: ${kills.length} SIGKILLs ${JSON.stringify(kills)}, ${resumedKills} after epoch >= 1`,
    );
  }, 200_000);
});
