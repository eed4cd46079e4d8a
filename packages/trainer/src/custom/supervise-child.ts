import { spawn } from 'node:child_process';

/** Time between SIGTERM and SIGKILL when a trainer is stopped. @defaultValue 10000 */
export const DEFAULT_KILL_GRACE_MS = 10_000;

export interface SuperviseOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The child's whole environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL. @defaultValue {@link DEFAULT_KILL_GRACE_MS} */
  readonly killGraceMs?: number;
  readonly onStdout: (chunk: Buffer) => void;
  readonly onStderr: (chunk: Buffer) => void;
}

export interface ChildExit {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Why the runner stopped the child, when it did. */
  readonly stoppedBy?: 'timeout' | 'abort';
  /** True when SIGTERM was not enough and the group got SIGKILL after the grace period. */
  readonly forced: boolean;
}

/** After the child exits, how long its stdio may stay open (held by an escaped grandchild). */
const STDIO_DRAIN_MS = 2000;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Negative pid: the whole process group, so the trainer's own children go too.
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone. Nothing else can be done from a timer anyway.
  }
}

/**
 * Runs a child in its own process group and waits for it. On timeout or abort the group gets
 * SIGTERM, then SIGKILL after the grace period; once the child exits, anything left in its
 * group is killed so no grandchild outlives the trial.
 */
export function superviseChild(options: SuperviseOptions): Promise<ChildExit> {
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  return new Promise<ChildExit>((resolve, reject) => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', reject);
      return;
    }
    let stoppedBy: ChildExit['stoppedBy'];
    let forced = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const timers: NodeJS.Timeout[] = [];

    const stop = (reason: 'timeout' | 'abort'): void => {
      if (stoppedBy !== undefined || exit !== undefined) return;
      stoppedBy = reason;
      signalGroup(pid, 'SIGTERM');
      timers.push(
        setTimeout(() => {
          forced = true;
          signalGroup(pid, 'SIGKILL');
        }, killGraceMs),
      );
    };
    const onAbort = (): void => stop('abort');
    if (options.timeoutMs !== undefined) {
      timers.push(setTimeout(() => stop('timeout'), options.timeoutMs));
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted === true) stop('abort');

    child.stdout.on('data', options.onStdout);
    child.stderr.on('data', options.onStderr);
    child.once('error', (error) => {
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      signalGroup(pid, 'SIGKILL');
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, STDIO_DRAIN_MS),
      );
    });
    child.once('close', () => {
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const { code, signal } = exit ?? { code: child.exitCode, signal: child.signalCode };
      resolve({ pid, code, signal, forced, ...(stoppedBy && { stoppedBy }) });
    });
  });
}
