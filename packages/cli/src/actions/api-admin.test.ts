import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, unusedPort, writeIrisCsv } from '../sandbox.test-support.js';
import {
  builtinJob as builtin,
  startServedSandbox,
  type ServedSandbox,
} from '../serve.test-support.js';

describe('API errors, tokens and workers through `stratus serve`', () => {
  let served: ServedSandbox;
  beforeAll(async () => {
    served = await startServedSandbox();
    await writeIrisCsv(join(served.dir, 'iris.csv'));
    expect((await served.run(['storage', 'cp', 'iris.csv', 'gs://demo/data/iris.csv'])).code).toBe(
      0,
    );
    expect((await served.run(builtin('iris_1', 1))).code).toBe(0);
  }, 90_000);
  afterAll(async () => {
    expect((await served.stop()).code).toBe(0);
  }, 60_000);

  it('prints the API reason and exits 1 for server-side errors, 2 for usage', async () => {
    const duplicate = await served.run(builtin('iris_1', 1));
    expect(duplicate).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR: (stratus.jobs.submit.training) JOB_ALREADY_EXISTS: Job "projects/default/jobs/iris_1" already exists\n',
    });
    const missing = await served.run(['jobs', 'describe', 'nope']);
    expect(missing.stderr).toBe(
      'ERROR: (stratus.jobs.describe) JOB_NOT_FOUND: Job "projects/default/jobs/nope" not found\n',
    );
    const invalid = await served.run([
      'jobs',
      'submit',
      'training',
      'bad_1',
      '--job-dir',
      '/tmp/x',
      '--builtin-algorithm',
      'dnn_classifier',
      '--training-data',
      'gs://demo/data/iris.csv',
      '--epochs',
      '0',
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr.split('\n')).toEqual([
      'ERROR: (stratus.jobs.submit.training) INVALID_JOB_SPEC: Invalid job: trainingInput.jobDir: must start with gs:// (and 2 more)',
      '  trainingInput.jobDir: must start with gs://',
      '  trainingInput.builtinAlgorithm.epochs: must be an integer ≥ 1 and ≤ 100000 (got 0)',
      '  trainingInput.builtinAlgorithm.labelColumn: is required for dnn_classifier',
      '',
    ]);
    const usage = await served.run(['jobs', 'submit', 'training', 'x', '--epochs', 'many']);
    expect(usage).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "ERROR: (stratus.jobs.submit.training) option '--epochs <n>' argument 'many' is invalid. must be an integer.\n",
    });
    const port = await unusedPort();
    const down = await served.run(['--api-url', `http://127.0.0.1:${port}`, 'jobs', 'list']);
    expect(down).toEqual({
      code: 1,
      stdout: '',
      stderr: `ERROR: (stratus.jobs.list) CONNECTION_FAILED: Cannot reach http://127.0.0.1:${port}: fetch failed (ECONNREFUSED)\n`,
    });
  }, 60_000);

  it('creates, lists and revokes tokens; a viewer token cannot submit', async () => {
    const created = await served.run([
      'auth',
      'tokens',
      'create',
      '--role',
      'viewer',
      '--description',
      'ci reader',
      '--format',
      'json',
    ]);
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout) as {
      tokenId: string;
      token: string;
      role: string;
      project: string;
    };
    expect(token).toMatchObject({ role: 'viewer', project: 'default' });
    const listed = await served.run([
      'auth',
      'tokens',
      'list',
      '--format',
      'value(tokenId,role,description)',
    ]);
    expect(listed.stdout).toContain(`${token.tokenId}\tviewer\tci reader\n`);
    const asViewer = { env: { STRATUS_TOKEN: token.token } };
    expect(
      (await served.run(['jobs', 'describe', 'iris_1', '--format', 'value(jobId)'], asViewer))
        .stdout,
    ).toBe('iris_1\n');
    const denied = await served.run(builtin('viewer_1', 1), asViewer);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /^ERROR: \(stratus\.jobs\.submit\.training\) PERMISSION_DENIED: /,
    );
    expect((await served.run(['auth', 'tokens', 'revoke', token.tokenId])).code).toBe(0);
    const revoked = await served.run(['jobs', 'list'], asViewer);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toMatch(/^ERROR: \(stratus\.jobs\.list\) UNAUTHENTICATED: /);
  }, 60_000);

  it('`stratus worker` joins the same Redis and shows up in the workers list until interrupted', async () => {
    const controller = new AbortController();
    // --concurrency beats the variable (and the core-count default); one slot also means one
    // trial process to start (tfjs loads in each) rather than two.
    const working = served.run(['worker', '--worker-id', 'cli_extra', '--concurrency', '1'], {
      signal: controller.signal,
      env: {
        REDIS_URL: TEST_REDIS_URL,
        STRATUS_REDIS_PREFIX: served.prefix,
        STRATUS_WORKER_CONCURRENCY: '3',
      },
    });
    const listed = async (): Promise<Array<{ workerId: string; capacity: number }>> => {
      const response = await fetch(`${served.apiUrl}/v1/workers`, {
        headers: { authorization: `Bearer ${served.adminToken}` },
      });
      return ((await response.json()) as { workers: Array<{ workerId: string; capacity: number }> })
        .workers;
    };
    let extra: { workerId: string; capacity: number } | undefined;
    for (let i = 0; i < 300 && extra === undefined; i += 1) {
      extra = (await listed()).find((worker) => worker.workerId === 'cli_extra');
      if (extra === undefined) await sleep(100);
    }
    expect(extra).toMatchObject({ workerId: 'cli_extra', capacity: 1 });
    controller.abort();
    const stopped = await working;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(
      /^Worker cli_extra is taking trials from cpu \(backend wasm\)\.\nDraining: /,
    );
  }, 90_000);
});
