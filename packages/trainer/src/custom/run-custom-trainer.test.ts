import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readMetricsFile } from '@stratus/hypertune';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failureOf,
  openTrialHarness,
  packExample,
  trainerTarball,
  type TrialHarness,
} from './custom-trainer.test-support.js';
import { runCustomTrainer } from './run-custom-trainer.js';
import { findPackageDir } from './runtime-links.js';
import { tarball } from './tar-fixture.test-support.js';

let h: TrialHarness;
let exampleTarball: Buffer;
beforeAll(async () => {
  h = await openTrialHarness(true);
  exampleTarball = await packExample(h.root);
}, 120_000);
afterAll(() => h.close());

describe('runCustomTrainer', () => {
  it('runs the npm-packed example; its last reported accuracy is the objective', async () => {
    const t = h.trial(await h.stage(exampleTarball), {
      hyperparameters: { epochs: 10, learningRate: 0.1 },
      hyperparameterMetricTag: 'accuracy',
      modelDir: 'gs://models/example/1',
    });
    const result = await runCustomTrainer(t.options);
    expect(t.metrics.map((m) => [m.tag, m.step])).toEqual(
      Array.from({ length: 10 }, (_, i) => ['accuracy', i + 1]),
    );
    const last = t.metrics[9];
    expect(result.finalMetric).toEqual({ tag: 'accuracy', value: last?.value, step: 10 });
    const written = await readMetricsFile(path.join(t.workDir, 'hypertune', 'output.metrics'));
    expect(written.at(-1)?.value).toBe(last?.value);
    expect(written.at(-1)?.trial).toBe('2');
    expect(result.finalMetric?.value).toBeGreaterThanOrEqual(0.8);
    expect(result.metricsReported).toBe(10);
    expect(t.stdout()[0]).toBe('trial 2 of job dir gs://jobs/job_1 on tfjs cpu');
    expect(t.stdout()).toContain(`model saved to ${path.join(t.workDir, 'model')}`);
    expect(result.modelFiles).toBe(2);
    const manifest = JSON.parse(
      (await h.storage.read('gs://models/example/1/model.json')).toString('utf8'),
    ) as { weightsManifest: Array<{ paths: string[] }> };
    expect(manifest.weightsManifest[0]?.paths).toEqual(['weights.bin']);
    // dense 2→1: 2 kernel + 1 bias float32 weights
    expect((await h.storage.stat('gs://models/example/1/weights.bin')).size).toBe(12);
  });

  it('passes args, --job-dir and hyperparameters; the environment is an allowlist', async () => {
    const probe = trainerTarball({
      'package.json': '{"name":"probe","version":"1.0.0"}',
      'task.mjs':
        'console.log(JSON.stringify({ env: process.env, argv: process.argv.slice(2), cwd: process.cwd() }));',
    });
    const t = h.trial(await h.stage(probe), {
      module: 'task.mjs',
      args: ['--train-data=/data/x.csv', 'positional'],
      hyperparameters: { lr: 0.5, layers: '3' },
      parentEnv: {
        PATH: '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        STRATUS_ADMIN_TOKEN: 'secret-admin-token',
        REDIS_URL: 'redis://:password@redis:6379',
        GOOGLE_APPLICATION_CREDENTIALS: '/secrets/sa.json',
        NODE_OPTIONS: '--require /secrets/hook.js',
        AWS_SECRET_ACCESS_KEY: 'aws',
      },
    });
    await runCustomTrainer(t.options);
    const seen = JSON.parse(t.stdout()[0] ?? '{}') as {
      env: Record<string, string>;
      argv: string[];
      cwd: string;
    };
    const work = t.workDir;
    expect(seen.env).toEqual({
      PATH: '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: path.join(work, 'home'),
      TMPDIR: path.join(work, 'tmp'),
      STRATUS_JOB_ID: 'job_1',
      STRATUS_TRIAL_ID: '2',
      STRATUS_JOB_DIR: 'gs://jobs/job_1',
      STRATUS_MODEL_DIR: path.join(work, 'model'),
      STRATUS_CHECKPOINT_DIR: path.join(work, 'checkpoints'),
      STRATUS_TFJS_BACKEND: 'cpu',
      CLOUD_ML_HP_METRIC_FILE: path.join(work, 'hypertune', 'output.metrics'),
      CLOUD_ML_TRIAL_ID: '2',
      CLOUD_ML_JOB_ID: 'job_1',
    });
    expect(JSON.stringify(seen)).not.toMatch(/secret|password|sa\.json|hook\.js|aws/);
    expect(seen.argv).toEqual([
      '--train-data=/data/x.csv',
      'positional',
      '--job-dir=gs://jobs/job_1',
      '--lr=0.5',
      '--layers=3',
    ]);
    expect(seen.cwd).toBe(path.join(work, 'package'));
  });

  it('takes the last value of the tag (not the best); CommonJS trainers get the runtime tfjs and hypertune', async () => {
    const pkg = trainerTarball({
      'package.json': '{"name":"cjs-trainer","version":"1.0.0","main":"train.cjs"}',
      'train.cjs': [
        "const tf = require('@tensorflow/tfjs');",
        "const { reportHyperparameterTuningMetric: report } = require('@stratus/hypertune');",
        "console.log(require.resolve('@tensorflow/tfjs'), tf.getBackend());",
        "report({ tag: 'auc', value: 0.9, step: 1 });",
        "report({ tag: 'auc', value: 0.5, step: 2 });",
        "report({ tag: 'loss', value: 0.25, step: 2 });",
        "report({ tag: '__proto__', value: 7, step: 2 });",
      ].join('\n'),
    });
    const t = h.trial(await h.stage(pkg), { hyperparameterMetricTag: 'auc' });
    const result = await runCustomTrainer(t.options);
    expect(result.finalMetric).toEqual({ tag: 'auc', value: 0.5, step: 2 });
    expect(Object.entries(result.lastMetrics)).toEqual([
      ['auc', { value: 0.5, step: 2 }],
      ['loss', { value: 0.25, step: 2 }],
      ['__proto__', { value: 7, step: 2 }],
    ]);
    expect(Object.getPrototypeOf(result.lastMetrics)).toBe(Object.prototype);
    const runtime = findPackageDir('@tensorflow/tfjs', import.meta.url);
    expect(t.stdout()).toContain(`${runtime}/dist/tf.node.js cpu`);
  });

  it('lets a bundled package win over the runtime link and installs further packageUris as dependencies', async () => {
    const main = trainerTarball({
      'package.json': '{"name":"main","version":"1.0.0"}',
      'node_modules/@tensorflow/tfjs/package.json': '{"name":"@tensorflow/tfjs","version":"0.0.1"}',
      'node_modules/@tensorflow/tfjs/index.js': 'module.exports = { bundled: true };',
      'index.mjs': [
        "import tf from '@tensorflow/tfjs';",
        "import { greet } from 'helper-lib';",
        'console.log(JSON.stringify(tf), greet());',
      ].join('\n'),
    });
    const helper = trainerTarball({
      'package.json': '{"name":"helper-lib","version":"1.0.0","type":"module","main":"index.js"}',
      'index.js': "export const greet = () => 'hello from helper-lib';",
    });
    const helperUri = await h.stage(helper);
    const t = h.trial(await h.stage(main), { module: 'index.mjs' });
    await runCustomTrainer({
      ...t.options,
      packageUris: [t.options.packageUris[0] ?? '', helperUri],
    });
    expect(t.stdout()).toEqual(['{"bundled":true} hello from helper-lib']);
  });

  it('refuses a tarball holding ../evil and a module outside the package', async () => {
    const evil = tarball([
      { path: 'package/task.mjs', body: '' },
      { path: '../evil', body: 'pwned' },
    ]);
    const t = h.trial(await h.stage(evil), { module: 'task.mjs' });
    const error = await failureOf(runCustomTrainer(t.options));
    expect(error.reason).toBe('PACKAGE_INVALID');
    expect(error.message).toBe(
      `Trainer package ${t.options.packageUris[0]} is refused: entry "../evil" climbs out with ".."`,
    );
    // task.mjs may or may not be written before the refusal; nothing else may be.
    const extracted = await readdir(path.join(t.workDir, 'package'));
    expect(extracted.filter((name) => name !== 'task.mjs')).toEqual([]);
    expect(await readdir(t.workDir)).not.toContain('evil');

    const ok = h.trial(await h.stage(trainerTarball({ 'task.mjs': '' })), {
      module: '../outside.mjs',
    });
    const outside = await failureOf(runCustomTrainer(ok.options));
    expect(outside.message).toMatch(
      /is refused: module "\.\.\/outside\.mjs" must be a file path inside the package$/,
    );
    const missing = await failureOf(runCustomTrainer({ ...ok.options, module: 'nope.mjs' }));
    expect(missing.message).toMatch(/is refused: module "nope\.mjs" is not a file in the package$/);
  });

  it('resolves a dotted pythonModule to trainer/task.{mjs,js,cjs}; a missing one names the files tried', async () => {
    const pkg = trainerTarball({
      'trainer/task.js': "console.log('ran trainer/task.js');",
      'trainer/task.cjs': "console.log('ran trainer/task.cjs');",
    });
    const t = h.trial(await h.stage(pkg), { module: 'trainer.task' });
    await runCustomTrainer(t.options);
    expect(t.stdout()).toContain('ran trainer/task.js');
    expect(t.stdout()).not.toContain('ran trainer/task.cjs');
    const missing = await failureOf(runCustomTrainer({ ...t.options, module: 'trainer.train' }));
    expect(missing.reason).toBe('PACKAGE_INVALID');
    expect(missing.message).toMatch(
      /is refused: module "trainer\.train" is not in the package: tried "trainer\/train\.mjs", "trainer\/train\.js", "trainer\/train\.cjs", "trainer\.train"$/,
    );
  });

  it('does not start when already cancelled', async () => {
    const t = h.trial(await h.stage(trainerTarball({ 'task.mjs': '' })), {
      signal: AbortSignal.abort(),
    });
    const error = await failureOf(runCustomTrainer(t.options));
    expect(error.message).toBe('Trial 2 was stopped: cancelled before start');
    await expect(readFile(path.join(t.workDir, 'package', 'task.mjs'))).rejects.toThrow(/ENOENT/);
  });
});
