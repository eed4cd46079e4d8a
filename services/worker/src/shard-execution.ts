import type { ShardCounts } from '@stratus/spec';
import type { ShardSpec } from './ipc-protocol.js';
import type { TrialControl, TrialOutcome } from './trial-execution.js';
import type { TrialProcessHandle } from './trial-process-handle.js';

/** How a shard in a trial process ended: like a trial, but a success carries the shard's counts. */
export type ShardOutcome =
  | { readonly kind: 'succeeded'; readonly counts: ShardCounts }
  | Exclude<TrialOutcome, { readonly kind: 'succeeded' }>;

/** What the trial process reports while the shard runs. */
export interface ShardHooks {
  onStarted(time: string): void;
  onProgress(rowsDone: number): void;
}

/** Run one shard in `handle` and resolve with how it ended; never rejects. */
export const executeShard = (
  handle: TrialProcessHandle,
  spec: ShardSpec,
  hooks: ShardHooks,
  control: TrialControl,
): Promise<ShardOutcome> =>
  new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: ShardOutcome): void => {
      if (settled) return;
      settled = true;
      off();
      resolve(outcome);
    };
    const stopped = (): ShardOutcome | undefined =>
      control.abortReason === undefined
        ? undefined
        : { kind: 'aborted', reason: control.abortReason };
    const off = handle.onMessage((message) => {
      switch (message.type) {
        case 'started':
          return hooks.onStarted(message.time);
        case 'shard-progress':
          return hooks.onProgress(message.rowsDone);
        case 'shard-result':
          return finish({ kind: 'succeeded', counts: message.counts });
        case 'failed':
          return stopped() === undefined
            ? finish({ kind: 'failed', error: message.error })
            : undefined;
        default:
          return undefined;
      }
    });
    void handle.exited.then((exit) => finish(stopped() ?? { kind: 'crashed', exit }));
    control.attach(handle);
    handle.send({ type: 'run-shard', spec });
  });
