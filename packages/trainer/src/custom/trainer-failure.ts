import { StratusError } from '@stratus/spec';
import type { CustomTrainerOptions } from './custom-trainer-types.js';
import { DEFAULT_KILL_GRACE_MS, type ChildExit } from './supervise-child.js';

/** Stderr lines longer than this are cut in the error message (the log keeps 8 KiB). */
const TAIL_LINE_CHARS = 500;

function describeStop(exit: ChildExit, graceMs: number): string {
  return exit.forced ? `SIGTERM, then SIGKILL after ${graceMs} ms` : 'SIGTERM';
}

/** The error for a trainer that did not exit 0 on its own: cancelled, timed out or failed. */
export function trainerFailure(
  options: CustomTrainerOptions,
  module: string,
  exit: ChildExit,
  tail: readonly string[],
): StratusError {
  const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  if (exit.stoppedBy === 'abort') {
    const detail = `cancelled; trainer stopped with ${describeStop(exit, graceMs)}`;
    return new StratusError('TRIAL_CANCELLED', { trialId: options.trialId, detail });
  }
  if (exit.stoppedBy === 'timeout') {
    const detail = describeStop(exit, graceMs);
    return new StratusError('TRAINER_TIMEOUT', { module, timeoutMs: options.timeoutMs, detail });
  }
  const how =
    exit.signal === null ? `exited with code ${exit.code}` : `was killed by signal ${exit.signal}`;
  const lines = tail.map((line) =>
    line.length > TAIL_LINE_CHARS ? `${line.slice(0, TAIL_LINE_CHARS)}…` : line,
  );
  const detail =
    lines.length === 0 ? 'it wrote nothing to stderr' : `last stderr lines:\n${lines.join('\n')}`;
  return new StratusError('TRAINER_EXITED', { module, exit: how, detail });
}
