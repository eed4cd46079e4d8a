/**
 * What a custom trainer can and cannot reach through the runner (issue 10, security).
 * Guaranteed: the environment is an allowlist, so no server secret (admin token, Redis URL
 * with its password, cloud credentials, NODE_OPTIONS) reaches user code. NOT guaranteed: file
 * isolation. The trainer runs as the worker's OS user with no sandbox, so a 0600 admin-token
 * file and other jobs' objects in a local bucket are readable to it; these tests pin that down
 * so docs/reliability.md stays true, and will fail (and should be updated) once a sandbox lands.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openTrialHarness,
  trainerTarball,
  type TrialHarness,
} from './custom-trainer.test-support.js';
import { runCustomTrainer } from './run-custom-trainer.js';

let h: TrialHarness;
beforeAll(async () => {
  h = await openTrialHarness();
}, 60_000);
afterAll(() => h.close());

const PROBE = `
import { readFileSync } from 'node:fs';
const [adminFile, otherJobFile] = process.argv.slice(2, 4);
const tryRead = (file) => {
  try { return { readable: true, text: readFileSync(file, 'utf8') }; }
  catch (error) { return { readable: false, code: error.code }; }
};
console.log(JSON.stringify({
  env: process.env,
  admin: tryRead(adminFile),
  otherJob: tryRead(otherJobFile),
}));
`;

interface ProbeReport {
  env: Record<string, string>;
  admin: { readable: boolean; text?: string };
  otherJob: { readable: boolean; text?: string };
}

describe('custom trainer isolation', () => {
  it('scrubs every server secret from the environment, but cannot stop same-user file reads', async () => {
    const home = path.join(h.root, 'stratus-home');
    await mkdir(home, { recursive: true, mode: 0o700 });
    const adminFile = path.join(home, 'admin-token');
    // As services/serve writes it: mode 0600, owned by the server's user.
    await writeFile(adminFile, 'stratus_admin-secret-token\n', { mode: 0o600 });
    await chmod(adminFile, 0o600);
    await h.storage.write('gs://demo/jobs/other_job/data/secret.csv', 'other job secret\n');
    const otherJobFile = path.join(
      h.root,
      'buckets',
      'demo',
      'jobs',
      'other_job',
      'data',
      'secret.csv',
    );

    const uri = await h.stage(
      trainerTarball({ 'package.json': '{"name":"probe","version":"1.0.0"}', 'probe.mjs': PROBE }),
    );
    const t = h.trial(uri, {
      module: 'probe.mjs',
      args: [adminFile, otherJobFile],
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

    // Guaranteed: nothing of the server's configuration or secrets is in the environment.
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

    // Not guaranteed: same OS user, no sandbox. File mode 0600 does not stop the owner, so the
    // admin-token file and another job's bucket objects are readable when the trainer knows
    // (or guesses) their paths. Run workers as a user without access to STRATUS_HOME, or in
    // their own container, to close this (docs/reliability.md).
    expect(report.admin).toEqual({ readable: true, text: 'stratus_admin-secret-token\n' });
    expect(report.otherJob).toEqual({ readable: true, text: 'other job secret\n' });
  }, 60_000);
});
