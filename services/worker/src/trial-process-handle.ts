import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fromWireError } from '@stratus/spec';
import type { BackendInfo } from '@stratus/bundle';
import {
  isMessage,
  type ChildMessage,
  type ParentMessage,
  type TrialProcessConfig,
} from './ipc-protocol.js';
import type { Logger } from '@stratus/spec';

/** How to start a Node entry point: a module path and the flags node needs for it. */
export interface NodeEntry {
  readonly module: string;
  readonly execArgv: readonly string[];
}

/**
 * A module next to `from`: its built `.js`, or — when `from` is TypeScript
 * source (tests, `--conditions=stratus-src`) — the `.ts` file run under tsx.
 */
export const siblingEntry = (name: string, from: string): NodeEntry => {
  const source = from.endsWith('.ts');
  return {
    module: fileURLToPath(new URL(`./${name}.${source ? 'ts' : 'js'}`, from)),
    execArgv: source ? ['--import', 'tsx', '--conditions=stratus-src'] : [],
  };
};

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** `exit code 1` / `signal SIGKILL`, for messages. */
export const describeExit = (exit: ProcessExit): string =>
  exit.signal === null ? `exit code ${String(exit.code)}` : `signal ${exit.signal}`;

/** One forked trial process, from `init` to exit. */
export class TrialProcessHandle {
  readonly child: ChildProcess;
  /** The backend the process selected; rejects if it died or failed first. */
  readonly ready: Promise<BackendInfo>;
  readonly exited: Promise<ProcessExit>;
  /** Trials run, a batch shard counting as SHARD_TRIAL_WEIGHT (recycled after a configured number). */
  trials = 0;
  private readonly listeners = new Set<(message: ChildMessage) => void>();

  constructor(
    entry: NodeEntry,
    config: TrialProcessConfig,
    env: Readonly<Record<string, string | undefined>>,
    logger: Logger,
  ) {
    this.child = fork(entry.module, [], {
      execArgv: [...entry.execArgv],
      env: { ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const pid = this.child.pid;
    // tfjs and native libraries print to stdout/stderr; keep it in the worker's log.
    for (const [stream, level] of [
      [this.child.stdout, 'debug'],
      [this.child.stderr, 'warn'],
    ] as const) {
      if (stream === null) continue;
      createInterface({ input: stream }).on('line', (line) =>
        logger[level]({ trialProcess: pid }, line),
      );
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.child.on('message', (message: unknown) => {
      if (!isMessage<ChildMessage>(message)) return;
      for (const listener of this.listeners) listener(message);
    });
    // A send to a process that just died fails asynchronously; the exit says why.
    this.child.on('error', (error) =>
      logger.warn({ err: error, trialProcess: pid }, 'trial process error'),
    );
    this.ready = new Promise<BackendInfo>((resolve, reject) => {
      const off = this.onMessage((message) => {
        if (message.type === 'ready') resolve(message.backend);
        else if (message.type === 'init-failed')
          reject(new Error(message.error.message, { cause: fromWireError(message.error) }));
        else return;
        off();
      });
      void this.exited.then((exit) =>
        reject(new Error(`trial process exited (${describeExit(exit)}) before it was ready`)),
      );
    });
    this.ready.catch(() => undefined);
    this.send({ type: 'init', config });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Listen to its messages; returns the unsubscribe function. */
  onMessage(listener: (message: ChildMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Send a message; false when the channel is closed. */
  send(message: ParentMessage): boolean {
    if (!this.child.connected) return false;
    return this.child.send(message);
  }

  /** Ask it to stop now: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
  async terminate(graceMs: number): Promise<ProcessExit> {
    if (this.alive) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      timer.unref();
      void this.exited.finally(() => clearTimeout(timer));
    }
    return this.exited;
  }

  /** Let it go: closing the channel makes an idle trial process exit (SIGKILL if it lingers). */
  retire(graceMs: number): void {
    if (this.child.connected) this.child.disconnect();
    if (!this.alive) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    timer.unref();
    void this.exited.finally(() => clearTimeout(timer));
  }
}
