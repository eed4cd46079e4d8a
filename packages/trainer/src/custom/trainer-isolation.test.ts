/**
 * What a custom trainer can and cannot reach through the runner (issue 10, security).
 * The environment is an allowlist, so no server secret (admin token, Redis URL with its
 * password, cloud credentials, NODE_OPTIONS) reaches user code; and the trainer runs under
 * Node's permission model (inside the bubblewrap sandbox), so it reads only its own files and the runtime,
 * writes only its work dir, and cannot start processes. docs/reliability.md states the same.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failureOf,
  openTrialHarness,
  trainerTarball,
  type TrialHarness,
} from './custom-trainer.test-support.js';
import { runCustomTrainer } from './run-custom-trainer.js';

let h: TrialHarness;
let home: string;
let adminFile: string;
let otherJobFile: string;
beforeAll(async () => {
  h = await openTrialHarness();
  home = path.join(h.root, 'stratus-home');
  await mkdir(home, { recursive: true, mode: 0o700 });
  adminFile = path.join(home, 'admin-token');
  // As services/serve writes it: mode 0600, owned by the server's user.
  await writeFile(adminFile, 'stratus_admin-secret-token\n', { mode: 0o600 });
  await chmod(adminFile, 0o600);
  await h.storage.write('gs://demo/jobs/other_job/data/secret.csv', 'other job secret\n');
  otherJobFile = path.join(h.root, 'buckets', 'demo', 'jobs', 'other_job', 'data', 'secret.csv');
}, 60_000);
afterAll(() => h.close());

const PROBE = `
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
const [adminFile, otherJobFile, homeDir] = process.argv.slice(2, 5);
const attempt = (action) => {
  try { return { ok: true, value: action() }; }
  catch (error) { return { ok: false, code: error.code, permission: error.permission }; }
};
const read = (file) => attempt(() => readFileSync(file, 'utf8'));
const model = path.join(process.env.STRATUS_MODEL_DIR, 'model.json');
const scratch = path.join(process.env.TMPDIR, 'scratch.txt');
console.log(JSON.stringify({
  env: process.env,
  admin: read(adminFile),
  otherJob: read(otherJobFile),
  workerEnviron: read('/proc/' + process.ppid + '/environ'),
  viaSelf: read('/proc/self/../' + process.ppid + '/environ'),
  ownPackage: attempt(() => JSON.parse(readFileSync('package.json', 'utf8')).name),
  writeModel: attempt(() => writeFileSync(model, '{}')),
  writeScratch: attempt(() => writeFileSync(scratch, 'ok')),
  writeHome: attempt(() => writeFileSync(path.join(homeDir, 'planted'), 'x')),
  spawn: attempt(() => execFileSync(process.execPath, ['-e', '1'])),
  worker: attempt(() => new Worker('1', { eval: true })),
}));
`;

type Outcome = { ok: true; value?: unknown } | { ok: false; code: string; permission?: string };
interface ProbeReport {
  env: Record<string, string>;
  [check: string]: Outcome | Record<string, string>;
}

const denied = (permission: string): Outcome => ({
  ok: false,
  code: 'ERR_ACCESS_DENIED',
  permission,
});

describe('custom trainer isolation', () => {
  it('scrubs server secrets from the environment and confines files and processes', async () => {
    const uri = await h.stage(
      trainerTarball({ 'package.json': '{"name":"probe","version":"1.0.0"}', 'probe.mjs': PROBE }),
    );
    const t = h.trial(uri, {
      module: 'probe.mjs',
      args: [adminFile, otherJobFile, home],
      parentEnv: {
        PATH: process.env.PATH,
        STRATUS_ADMIN_TOKEN: 'stratus_admin-secret-token',
        REDIS_URL: 'redis://:redis-secret-password@127.0.0.1:6379',
        STRATUS_HOME: home,
        GOOGLE_APPLICATION_CREDENTIALS: '/secrets/sa.json',
        STORAGE_EMULATOR_HOST: 'http://127.0.0.1:4443',
        NODE_OPTIONS: '--require /secrets/hook.js',
      },
    });
    await runCustomTrainer(t.options);
    const report = JSON.parse(t.stdout()[0] ?? '{}') as ProbeReport;

    const env = JSON.stringify(report.env);
    for (const secret of [
      'admin-secret-token',
      'redis-secret-password',
      'REDIS_URL',
      'STRATUS_ADMIN_TOKEN',
      'STRATUS_HOME',
      'sa.json',
      'STORAGE_EMULATOR_HOST',
      'NODE_OPTIONS',
    ]) {
      expect(env).not.toContain(secret);
    }
    expect(report.env.HOME).toBe(path.join(t.workDir, 'home'));

    // 0600 does not stop the same OS user; the permission model does.
    expect(report.admin).toEqual(denied('FileSystemRead'));
    expect(report.otherJob).toEqual(denied('FileSystemRead'));
    // The process that started it (here the test; on a worker, the trial process that holds
    // storage credentials) keeps its environment to itself.
    expect(report.workerEnviron).toEqual(denied('FileSystemRead'));
    expect(report.viaSelf).toEqual(denied('FileSystemRead'));
    expect(report.writeHome).toEqual(denied('FileSystemWrite'));
    expect(report.spawn).toEqual(denied('ChildProcess'));
    expect(report.worker).toEqual(denied('WorkerThreads'));

    expect(report.ownPackage).toEqual({ ok: true, value: 'probe' });
    expect(report.writeModel).toEqual({ ok: true });
    expect(report.writeScratch).toEqual({ ok: true });
    expect(await readFile(path.join(t.workDir, 'tmp', 'scratch.txt'), 'utf8')).toBe('ok');
    // The logs carry no ExperimentalWarning from the permission model.
    expect(t.logs.filter((line) => line.stream === 'stderr')).toEqual([]);
  }, 60_000);

  it('fails a trainer that reads outside its sandbox with the denied resource in the message', async () => {
    const uri = await h.stage(
      trainerTarball({
        'task.mjs': `import { readFileSync } from 'node:fs';\nreadFileSync(${JSON.stringify(adminFile)});`,
      }),
    );
    const t = h.trial(uri, { module: 'task.mjs' });
    const error = await failureOf(runCustomTrainer(t.options));
    expect(error.reason).toBe('TRAINER_EXITED');
    expect(error.message).toMatch(
      /^Trainer module task\.mjs exited with code 1: last stderr lines:\n/,
    );
    expect(error.message).toContain('Error: Access to this API has been restricted');
    expect(error.message).toContain("code: 'ERR_ACCESS_DENIED'");
    expect(error.message).toContain("permission: 'FileSystemRead'");
    expect(error.message).toContain(`resource: '${adminFile}'`);
    console.info(`sandbox denial: ${error.message}`);
  }, 60_000);

  it("reads the same file with sandbox 'none' (the single-user opt-out)", async () => {
    const uri = await h.stage(
      trainerTarball({
        'task.mjs': `import { readFileSync } from 'node:fs';\nconsole.log(readFileSync(${JSON.stringify(adminFile)}, 'utf8').trim());`,
      }),
    );
    const t = h.trial(uri, { module: 'task.mjs', sandbox: 'none' });
    await runCustomTrainer(t.options);
    expect(t.stdout()).toEqual(['stratus_admin-secret-token']);
  }, 60_000);
});
