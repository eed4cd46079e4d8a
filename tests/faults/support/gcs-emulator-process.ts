/**
 * The Cloud Storage emulator (firebase-tools) in a child process of its own,
 * so a fault test can SIGKILL it under running Stratus processes and bring it
 * back on the same port. It keeps objects in memory: each start uploads the
 * seed objects before it answers anyone else, so the bucket comes back with
 * its data as a real one would. A standby process (firebase-tools loaded, not
 * yet listening) makes the comeback take milliseconds, so what a test times is
 * Stratus recovering rather than the emulator loading.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ROOT } from '../../support/stratus-e2e.js';

const SCRIPT = 'packages/storage/src/gcs-emulator.test-support.ts';
const START_TIMEOUT_MS = 60_000;

export interface FaultGcs {
  /** What STORAGE_EMULATOR_HOST takes: `http://127.0.0.1:PORT`. */
  readonly host: string;
  readonly port: number;
  /** The serving emulator's pid (0 while it is down). */
  pid(): number;
  /** SIGKILL it (open connections are cut) and wait for it to exit; its objects are gone. */
  kill(): Promise<void>;
  /** Serve again on the same port; resolves once the seed objects are in. */
  start(): Promise<void>;
  /** Kill every emulator process. */
  close(): Promise<void>;
}

interface EmulatorChild {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Loaded and waiting for a line on stdin (standby children only). */
  readonly standby: Promise<void>;
  /** Listening and seeded. */
  readonly ready: Promise<{ blobsDir: string }>;
}

const spawnEmulator = (
  port: number,
  seed: Readonly<Record<string, string>>,
  standby: boolean,
): EmulatorChild => {
  const args = ['--port', String(port)];
  for (const [uri, file] of Object.entries(seed)) args.push('--seed', `${uri}=${file}`);
  if (standby) args.push('--standby');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=stratus-src', SCRIPT, ...args],
    { cwd: ROOT, stdio: [standby ? 'pipe' : 'ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let onStandby: () => void = () => undefined;
  let onReady: (ready: { blobsDir: string }) => void = () => undefined;
  const loaded = new Promise<void>((resolve) => (onStandby = resolve));
  const listening = new Promise<{ blobsDir: string }>((resolve) => (onReady = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === '{"standby":true}') onStandby();
    else if (line.startsWith('{"host"')) onReady(JSON.parse(line) as { blobsDir: string });
  });
  const failed = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the GCS emulator (port ${port}) did not start in time`));
    }, START_TIMEOUT_MS);
    void listening.then(() => clearTimeout(timer));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the GCS emulator (port ${port}) exited`));
    });
  });
  const ready = Promise.race([listening, failed]);
  const standing = Promise.race([loaded, failed]);
  // Whoever waits sees the failure; nobody waiting must not crash the test process.
  ready.catch(() => undefined);
  standing.catch(() => undefined);
  return { child, exited, standby: standing, ready };
};

const stopChild = async (emulator: EmulatorChild): Promise<void> => {
  emulator.child.kill('SIGKILL');
  await emulator.exited;
  // A SIGKILLed emulator cannot remove its blobs itself.
  const ready = await emulator.ready.catch(() => undefined);
  if (ready !== undefined) await rm(ready.blobsDir, { recursive: true, force: true });
};

/** Start the emulator on `port` with `seed` (object URI → local file), plus a standby. */
export const startFaultGcs = async (
  port: number,
  seed: Readonly<Record<string, string>>,
): Promise<FaultGcs> => {
  let serving: EmulatorChild | undefined = spawnEmulator(port, seed, false);
  let standby: EmulatorChild | undefined = spawnEmulator(port, seed, true);
  try {
    await Promise.all([serving.ready, standby.standby]);
  } catch (error) {
    await Promise.all([stopChild(serving), stopChild(standby)]);
    throw error;
  }
  return {
    host: `http://127.0.0.1:${port}`,
    port,
    pid: () => serving?.child.pid ?? 0,
    kill: async () => {
      const victim = serving;
      serving = undefined;
      if (victim !== undefined) await stopChild(victim);
    },
    start: async () => {
      if (serving !== undefined) throw new Error('the GCS emulator is already serving');
      const next = standby ?? spawnEmulator(port, seed, false);
      standby = undefined;
      serving = next;
      next.child.stdin?.end('listen\n');
      await next.ready;
    },
    close: async () => {
      const all = [serving, standby].filter((child) => child !== undefined);
      serving = undefined;
      standby = undefined;
      await Promise.all(all.map(stopChild));
    },
  };
};
