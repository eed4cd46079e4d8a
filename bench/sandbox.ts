// bench/sandbox: what the bubblewrap trainer sandbox costs a custom trial, against the same
// trial unsandboxed (STRATUS_TRAINER_SANDBOX=none), in alternating rounds in one process.
// Two trainers: one that exits at once (start-up cost) and one that trains the example's
// logistic regression on tfjs (wasm) for BENCH_EPOCHS epochs. Prints one JSON line of medians.
//   npm run bench:sandbox        (needs bwrap; BENCH_ROUNDS=5, BENCH_EPOCHS=50 by default)
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStorage } from '@stratus/storage';
import { probeSandbox, runCustomTrainer } from '@stratus/trainer';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 50);
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const probe = probeSandbox(process.env.PATH);
if (!probe.ok) throw new Error(`bench/sandbox needs bwrap: ${probe.reason}`);
const root = await mkdtemp(join(tmpdir(), 'bench-sandbox-'));
const storage = createLocalStorage({ root: join(root, 'buckets') });
try {
  // The example trainer plus `exit.mjs`, a module that does nothing (the start-up cost).
  const pkg = join(root, 'src', 'package');
  await cp(join(import.meta.dirname, '..', 'examples', 'custom-trainer'), pkg, { recursive: true });
  await writeFile(join(pkg, 'exit.mjs'), '');
  execFileSync('tar', ['-czf', join(root, 'example.tgz'), '-C', join(root, 'src'), 'package']);
  await storage.write('gs://bench/example.tgz', await readFile(join(root, 'example.tgz')));
  await storage.write(
    'gs://bench/data/train.csv',
    await readFile(
      join(import.meta.dirname, '..', 'examples', 'custom-trainer', 'data', 'train.csv'),
    ),
  );
  const timings: Record<string, number[]> = {};
  let run = 0;
  const time = async (name: string, sandbox: 'bwrap' | 'none', train: boolean): Promise<void> => {
    run += 1;
    const started = performance.now();
    await runCustomTrainer({
      storage,
      packageUris: ['gs://bench/example.tgz'],
      module: train ? 'trainer/task.mjs' : 'exit.mjs',
      args: train ? ['--train-data=gs://bench/data/train.csv', `--epochs=${EPOCHS}`] : [],
      jobId: 'bench',
      trialId: String(run),
      jobDir: 'gs://bench/jobs/bench',
      workDir: join(root, 'work', String(run)),
      parentEnv: { PATH: process.env.PATH },
      backend: 'wasm',
      sandbox,
    });
    (timings[name] ??= []).push(performance.now() - started);
  };
  for (let round = 0; round < ROUNDS; round += 1) {
    await time('startBwrapMs', 'bwrap', false);
    await time('startNoneMs', 'none', false);
    await time('trainBwrapMs', 'bwrap', true);
    await time('trainNoneMs', 'none', true);
  }
  const result = Object.fromEntries(
    Object.entries(timings).map(([name, values]) => [name, Math.round(median(values))]),
  );
  console.log(JSON.stringify({ rounds: ROUNDS, epochs: EPOCHS, ...result }));
} finally {
  await storage.close();
  await rm(root, { recursive: true, force: true });
}
