import type { ShardCounts } from '@stratus/spec';
import type { ShardSpec } from './ipc-protocol.js';
import { executeInProcess, type ProcessOutcome, type TrialControl } from './trial-execution.js';
import type { TrialProcessHandle } from './trial-process-handle.js';

/** How a shard in a trial process ended: like a trial, but a success carries the shard's counts. */
export type ShardOutcome = ProcessOutcome<{
  readonly kind: 'succeeded';
  readonly counts: ShardCounts;
}>;

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
  executeInProcess(
    handle,
    { type: 'run-shard', spec },
    (message) => {
      switch (message.type) {
        case 'started':
          hooks.onStarted(message.time);
          return undefined;
        case 'shard-progress':
          hooks.onProgress(message.rowsDone);
          return undefined;
        case 'shard-result':
          return { kind: 'succeeded', counts: message.counts } as const;
        default:
          return undefined;
      }
    },
    control,
  );
