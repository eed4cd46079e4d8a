import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import { workerMainEntry, type NodeEntry } from '@stratus/worker';

/** The all-in-one worker, a child process restarted if it dies. */
export interface WorkerChild {
  /** The current worker process id. */
  readonly pid: number | undefined;
  /** SIGTERM (it drains: running trials are paused at their checkpoint), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface WorkerChildOptions {
  /** The worker's environment: the server's, with its effective REDIS_URL and no admin token. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** Extra worker CLI flags. */
  readonly args?: readonly string[];
  /** @defaultValue the worker package's main entry */
  readonly entry?: NodeEntry;
  /** Wait before restarting a worker that died. @defaultValue 1000 */
  readonly restartDelayMs?: number;
}

/** Run `node services/worker/dist/main.js` as a child, restarting it after a crash. */
export const startWorkerChild = (options: WorkerChildOptions): WorkerChild => {
  const entry = options.entry ?? workerMainEntry();
  let child: ChildProcess | undefined;
  let stopping = false;
  let exited: Promise<void> = Promise.resolve();

  const launch = (): void => {
    const started = spawn(
      process.execPath,
      [...entry.execArgv, entry.module, ...(options.args ?? [])],
      {
        env: { ...options.env },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child = started;
    exited = new Promise((resolve) => {
      started.once('exit', (code, signal) => {
        resolve();
        if (stopping) return;
        options.logger.error({ code, signal }, 'worker exited; restarting it');
        setTimeout(() => {
          if (!stopping) launch();
        }, options.restartDelayMs ?? 1_000).unref();
      });
    });
  };
  launch();

  return {
    get pid() {
      return child?.pid;
    },
    stop: async (graceMs = 15_000) => {
      stopping = true;
      const current = child;
      if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
};
