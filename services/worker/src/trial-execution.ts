import type { WireStratusError } from '@stratus/spec';
import type { Severity, TrialProgress, TrialResult, TrialSpec } from '@stratus/trainer';
import type { ChildMessage, ParentMessage } from './ipc-protocol.js';
import type { ProcessExit, TrialProcessHandle } from './trial-process-handle.js';

/** Why the worker stopped a trial: the job was cancelled (or ended), or the worker is draining. */
export type AbortReason = 'cancel' | 'shutdown';

/** How a trial in a trial process ended. */
export type TrialOutcome =
  | { readonly kind: 'succeeded'; readonly result: TrialResult }
  /** The trainer threw (bad data, a trainer exiting non-zero, storage down…), as sent over IPC. */
  | { readonly kind: 'failed'; readonly error: WireStratusError }
  /** The worker stopped it. */
  | { readonly kind: 'aborted'; readonly reason: AbortReason }
  /** The process died without being asked (crash, out of memory, killed). */
  | { readonly kind: 'crashed'; readonly exit: ProcessExit };

/** What the trial process reports while it runs. */
export interface TrialHooks {
  onStarted(time: string): void;
  onLog(severity: Severity, message: string, time: string): void;
  onMetrics(step: number, values: Readonly<Record<string, number>>, time: string): void;
  onProgress(progress: TrialProgress): void;
}

/**
 * The worker's handle on one running trial: stop it (cancel, shutdown) or
 * end it early (the job's stopping rule). Usable before the process is attached,
 * so a cancel that arrives while the trial is being claimed is not lost.
 */
export class TrialControl {
  abortReason: AbortReason | undefined;
  private handle: TrialProcessHandle | undefined;
  private graceMs = 0;

  /** Stop the trial: SIGTERM its process, SIGKILL after `graceMs`. */
  abort(reason: AbortReason, graceMs: number): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.graceMs = graceMs;
    if (this.handle !== undefined) void this.handle.terminate(graceMs);
  }

  /** End training now but keep the trial; its model is still exported. */
  stopEarly(reason: string): void {
    this.handle?.send({ type: 'stop-early', reason });
  }

  /** @internal Bind the process that runs the trial. */
  attach(handle: TrialProcessHandle): void {
    this.handle = handle;
    if (this.abortReason !== undefined) void handle.terminate(this.graceMs);
  }
}

/** How a run in a trial process ends, whatever it ran: its success, or a trial's other endings. */
export type ProcessOutcome<Success> =
  Success | Exclude<TrialOutcome, { readonly kind: 'succeeded' }>;

/**
 * Send `request` to the process in `handle` and resolve with how the run
 * ended; never rejects. `read` turns the process's messages into hook calls
 * and returns the success once its result arrives. A `failed` message ends
 * the run unless it was stopped (the process exits next and the exit settles
 * it as aborted); an exit nobody asked for is a crash.
 */
export const executeInProcess = <Success extends { readonly kind: 'succeeded' }>(
  handle: TrialProcessHandle,
  request: ParentMessage,
  read: (message: ChildMessage) => Success | undefined,
  control: TrialControl,
): Promise<ProcessOutcome<Success>> =>
  new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: ProcessOutcome<Success>): void => {
      if (settled) return;
      settled = true;
      off();
      resolve(outcome);
    };
    const stopped = (): ProcessOutcome<Success> | undefined =>
      control.abortReason === undefined
        ? undefined
        : { kind: 'aborted', reason: control.abortReason };
    const off = handle.onMessage((message) => {
      if (message.type === 'failed') {
        if (stopped() === undefined) finish({ kind: 'failed', error: message.error });
        return;
      }
      // A run that finished before the stop took effect keeps its result.
      const success = read(message);
      if (success !== undefined) finish(success);
    });
    void handle.exited.then((exit) => finish(stopped() ?? { kind: 'crashed', exit }));
    control.attach(handle);
    handle.send(request);
  });

/** Run `spec` in `handle` and resolve with how it ended; never rejects. */
export const executeTrial = (
  handle: TrialProcessHandle,
  spec: TrialSpec,
  hooks: TrialHooks,
  control: TrialControl,
): Promise<TrialOutcome> =>
  executeInProcess(
    handle,
    { type: 'run', spec },
    (message) => {
      switch (message.type) {
        case 'started':
          hooks.onStarted(message.time);
          return undefined;
        case 'log':
          hooks.onLog(message.severity, message.message, message.time);
          return undefined;
        case 'metrics':
          hooks.onMetrics(message.step, message.values, message.time);
          return undefined;
        case 'progress':
          hooks.onProgress(message.progress);
          return undefined;
        case 'result':
          return { kind: 'succeeded', result: message.result } as const;
        default:
          return undefined;
      }
    },
    control,
  );
