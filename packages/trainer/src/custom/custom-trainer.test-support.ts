import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { StratusError } from '@stratus/spec';
import { createLocalStorage, type Storage } from '@stratus/storage';
import { expect } from 'vitest';
import type { CustomTrainerOptions, TrainerMetric } from './custom-trainer-types.js';
import type { LogLine } from './log-gate.js';
import { tarball } from './tar-fixture.test-support.js';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'custom-trainer');

/**
 * Builds @stratus/hypertune's dist: trainers import the built package through the runner's
 * link, exactly as on a worker (incremental, so a no-op when up to date).
 */
export async function buildHypertune(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await run(process.execPath, [tsc, '-b', 'packages/hypertune'], { cwd: REPO_ROOT });
}

/** `npm pack` of the example trainer into `destination`; returns the tarball's bytes. */
export async function packExample(destination: string): Promise<Buffer> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: EXAMPLE_DIR,
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (packed === undefined) throw new Error(`npm pack printed no file: ${stdout}`);
  return readFileSync(path.join(destination, packed.filename));
}

/** An `npm pack`-shaped tarball holding the given files (paths relative to the package root). */
export const trainerTarball = (files: Readonly<Record<string, string>>): Buffer =>
  tarball(Object.entries(files).map(([name, body]) => ({ path: `package/${name}`, body })));

/** Whether a process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Polls until `check` holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

/** A local bucket for trainer tarballs, and trial options that collect logs and metrics. */
export interface TrialHarness {
  readonly root: string;
  readonly storage: Storage;
  /** Stores a tarball in the bucket; returns its URI. */
  stage(bytes: Buffer): Promise<string>;
  trial(packageUri: string, extra?: Partial<CustomTrainerOptions>): TrialRun;
  close(): Promise<void>;
}

export interface TrialRun {
  readonly options: CustomTrainerOptions;
  readonly logs: LogLine[];
  readonly metrics: TrainerMetric[];
  readonly workDir: string;
  stdout(): string[];
}

/**
 * Opens a harness in a fresh temp dir. `withHypertune` builds @stratus/hypertune first, for
 * trainers that import it (only one test file asks, so two builds never race).
 */
export async function openTrialHarness(withHypertune = false): Promise<TrialHarness> {
  const root = await mkdtemp(path.join(tmpdir(), 'custom-trainer-'));
  const storage = createLocalStorage({ root: path.join(root, 'buckets') });
  if (withHypertune) await buildHypertune();
  let count = 0;
  return {
    root,
    storage,
    stage: async (bytes) => {
      count += 1;
      const uri = `gs://packages/trainer-${count}.tgz`;
      await storage.write(uri, bytes);
      return uri;
    },
    trial: (packageUri, extra = {}) => {
      const logs: LogLine[] = [];
      const metrics: TrainerMetric[] = [];
      const workDir = path.join(root, 'work', String(count));
      const options: CustomTrainerOptions = {
        storage,
        packageUris: [packageUri],
        jobId: 'job_1',
        trialId: '2',
        jobDir: 'gs://jobs/job_1',
        workDir,
        parentEnv: { PATH: process.env.PATH },
        onLog: (line) => logs.push(line),
        onMetric: (metric) => metrics.push(metric),
        ...extra,
      };
      const stdout = () => logs.filter((l) => l.stream === 'stdout').map((l) => l.line);
      return { options, logs, metrics, workDir, stdout };
    },
    close: async () => {
      await storage.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The StratusError a promise rejects with (fails the test if it resolves or throws another). */
export async function failureOf(promise: Promise<unknown>): Promise<StratusError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StratusError);
  return error as StratusError;
}
