import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

let dir: string;
let tarball: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hypertune-pack-'));
  // `npm pack` runs `prepack` (tsc -b), exactly as publishing would.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: PACKAGE_DIR,
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: { path: string }[] }>;
  if (packed === undefined) throw new Error(`npm pack printed no file: ${stdout}`);
  tarball = path.join(dir, packed.filename);
  expect(packed.files.map((file) => file.path)).not.toContainEqual(
    expect.stringMatching(/\.test\.ts$|tsbuildinfo/),
  );
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the published package', () => {
  it('installs from its tarball and reports metrics from a trainer run outside Stratus', async () => {
    const project = path.join(dir, 'trainer');
    await mkdir(project);
    await writeFile(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'outside-trainer', private: true, type: 'module' }),
    );
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: project,
    });
    await writeFile(
      path.join(project, 'task.mjs'),
      [
        "import { HyperTune, getHyperparameters } from '@stratus/hypertune';",
        'const hpt = new HyperTune();',
        'const { rate } = getHyperparameters();',
        'for (let epoch = 1; epoch <= 3; epoch += 1) {',
        "  hpt.reportHyperparameterTuningMetric({ hyperparameterMetricTag: 'accuracy', metricValue: epoch * Number(rate), globalStep: epoch });",
        '}',
      ].join('\n'),
    );
    const metrics = path.join(project, 'out', 'output.metrics');
    await run(process.execPath, ['task.mjs', '--rate=0.25'], {
      cwd: project,
      env: { PATH: process.env.PATH, CLOUD_ML_HP_METRIC_FILE: metrics, CLOUD_ML_TRIAL_ID: '3' },
    });
    const lines = (await readFile(metrics, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { accuracy: '0.25', global_step: '1', trial: '3' },
      { accuracy: '0.5', global_step: '2', trial: '3' },
      { accuracy: '0.75', global_step: '3', trial: '3' },
    ]);
    expect(lines[0]).toMatch(/^\{"accuracy": "0\.25", "checkpoint_path": "", "global_step": "1", /);
  }, 120_000);
});
