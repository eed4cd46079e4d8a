/**
 * The attack suite of docs/reliability.md ("Threat model"): an `alpha` editor's custom trainer
 * tries to reach Redis and every loopback port, signal the worker and other processes, read
 * beta's bucket files and trial dirs and the server's secrets, write outside its trial dir,
 * fill the disk and start processes — every attempt fails, while the same trainer still
 * trains on data staged from alpha's own bucket and exports its model. Real API, worker,
 * Redis, bubblewrap sandbox and local bucket.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, ListLogsResponse } from '@stratus/spec';
import { attackTrainerTarball } from './support/attack-trainer.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { alive, apiCall } from './support/stratus-e2e.js';

let cluster: Cluster;
let alphaToken: string;
let betaFile: string;
let betaTrialDir: string;
let serverSecret: string;

const alpha = <T>(method: string, path: string, body?: unknown) =>
  apiCall<T>(cluster.api.url, alphaToken, method, `/v1/projects/alpha${path}`, body);

const waitForAlphaJob = async (jobId: string): Promise<Job> => {
  for (;;) {
    const { body } = await alpha<Job>('GET', `/jobs/${jobId}`);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(body.state)) return body;
    await sleep(200);
  }
};

beforeAll(async () => {
  cluster = await startCluster({ workers: 1, env: { STRATUS_TRAINER_DISK_MB: '64' } });
  const { env, api } = cluster;
  const created = await apiCall<{ token: string }>(api.url, env.adminToken, 'POST', '/v1/tokens', {
    project: 'alpha',
    role: 'editor',
  });
  alphaToken = created.body.token;
  const storage = env.storage;
  await storage.write(
    'gs://beta-data/customers.csv',
    'name,card\nbeta customer,4111111111111111\n',
  );
  betaFile = join(env.home, 'buckets', 'beta-data', 'customers.csv');
  betaTrialDir = join(env.home, 'work', 'beta', 'job_1', '1', '1');
  await mkdir(betaTrialDir, { recursive: true });
  await writeFile(join(betaTrialDir, 'checkpoint.bin'), 'beta weights');
  serverSecret = join(env.home, 'admin-token');
  await writeFile(serverSecret, `${env.adminToken}\n`, { mode: 0o600 });
  // beta owns its bucket; alpha's claims its own on first use.
  const claimed = await apiCall(api.url, env.adminToken, 'POST', '/v1/projects/beta/buckets', {
    name: 'beta-data',
  });
  if (claimed.status !== 200) throw new Error(`claim: ${JSON.stringify(claimed.body)}`);
  const example = await readFile(join('examples', 'custom-trainer', 'data', 'train.csv'));
  await storage.write('gs://alpha-data/data/train.csv', example);
  await storage.write('gs://alpha-data/packages/attack.tgz', await attackTrainerTarball());
}, 180_000);
afterAll(() => cluster?.close());

const customJob = (jobId: string, module: string, args: string[]) => ({
  jobId,
  trainingInput: {
    jobDir: `gs://alpha-data/jobs/${jobId}`,
    packageUris: ['gs://alpha-data/packages/attack.tgz'],
    module,
    args,
  },
});

describe('an alpha editor attacking from a custom trainer', () => {
  it("cannot name beta's bucket in a job: 403 naming the field and bucket, nothing stored", async () => {
    const refused = await alpha<{ error: { status: string; message: string } }>(
      'POST',
      '/jobs',
      customJob('steal', 'attack.mjs', ['--train-data=gs://beta-data/customers.csv']),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.status).toBe('PERMISSION_DENIED');
    expect(refused.body.error.message).toBe(
      'Permission denied: trainingInput.args[0]: bucket "beta-data" belongs to another project',
    );
    expect((await alpha('GET', '/jobs/steal')).status).toBe(404);
  });

  it('reaches nothing of the server or of beta, and still trains on its own bucket', async () => {
    const worker = cluster.workers[0]!;
    const submitted = await alpha<Job>(
      'POST',
      '/jobs',
      customJob('attack', 'attack.mjs', [
        '--train-data=gs://alpha-data/data/train.csv',
        `--worker-pid=${worker.pid}`,
        `--beta-file=${betaFile}`,
        `--beta-trial-dir=${betaTrialDir}`,
        `--server-secret=${serverSecret}`,
        '--epochs=5',
      ]),
    );
    expect(submitted.status).toBe(200);
    const job = await waitForAlphaJob('attack');
    const logs = (await alpha<ListLogsResponse>('GET', '/jobs/attack/logs?pageSize=1000')).body
      .entries;
    expect(job.state, JSON.stringify(logs.map((entry) => entry.message))).toBe('SUCCEEDED');
    const line = logs.find((entry) => entry.message.startsWith('ATTACK '));
    const report = JSON.parse(line?.message.slice('ATTACK '.length) ?? '{}') as Record<
      string,
      unknown
    >;
    console.info(`attack report: ${JSON.stringify(report)}`);
    // Layer 1 (bubblewrap): no network, no other processes.
    expect(report.redis).toBe('ECONNREFUSED');
    expect(report.openLoopbackPorts).toEqual([]);
    expect(report.metadataServer).toBe('ENETUNREACH');
    // Only its own PID namespace, numbered from 1: itself and its threads.
    const pids = report.pidsSignalled as number[];
    expect(pids).toContain(report.ownPid);
    expect(Math.max(...pids)).toBeLessThan(64);
    expect(report.killWorker).toBe('ESRCH');
    // Both layers refuse host files; Node's permission model answers first.
    for (const attempt of [
      'listProc',
      'betaBucketFile',
      'betaTrialDir',
      'serverSecret',
      'writeBetaBucket',
      'writeUsr',
      'spawnProcess',
      'workerThread',
    ]) {
      expect(report[attempt], attempt).toBe('ERR_ACCESS_DENIED');
    }
    // Inside its work dir the permission model lets it write; bubblewrap's read-only binds
    // and the file-size limit still hold.
    expect(report.writeOwnPackage).toBe('EROFS');
    expect(report.writeStagedInput).toBe('EROFS');
    expect(report.bigFile).toBe('EFBIG');

    expect(alive(worker.pid)).toBe(true);
    expect(await readFile(betaFile, 'utf8')).toBe('name,card\nbeta customer,4111111111111111\n');
    // Trained on the staged data and exported to alpha's job dir.
    expect(logs.map((entry) => entry.message)).toContain(
      `staged gs://alpha-data/data/train.csv (${(await readFile(join('examples', 'custom-trainer', 'data', 'train.csv'))).length} bytes) at ${join(cluster.env.home, 'work', 'alpha', 'attack', '1', '1', 'inputs', 'alpha-data', 'data', 'train.csv')}`,
    );
    expect(await cluster.env.storage.exists('gs://alpha-data/jobs/attack/model/model.json')).toBe(
      true,
    );
    expect(logs.map((entry) => entry.message)).toContainEqual(
      expect.stringMatching(/^model saved to \//),
    );
    // The attempt's work dir is gone; beta's is untouched.
    expect(existsSync(join(cluster.env.home, 'work', 'alpha'))).toBe(false);
    expect(await readFile(join(betaTrialDir, 'checkpoint.bin'), 'utf8')).toBe('beta weights');
  }, 240_000);

  it('is stopped when it fills its disk quota, and the disk is not filled', async () => {
    await alpha<Job>('POST', '/jobs', customJob('fill', 'fill.mjs', []));
    const job = await waitForAlphaJob('fill');
    expect(job.state).toBe('FAILED');
    expect(job.errorMessage).toMatch(
      /Trainer module fill\.mjs wrote \d+ bytes to its work dir, over the limit of 67108864 \(STRATUS_TRAINER_DISK_MB\), and was stopped/,
    );
    expect(existsSync(join(cluster.env.home, 'work', 'alpha'))).toBe(false);
  }, 240_000);
});
