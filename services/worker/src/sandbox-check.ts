import type { TrainerSandbox } from '@stratus/config';
import { probeSandbox } from '@stratus/trainer';
import type { Logger } from '@stratus/spec';

/**
 * Says at start how custom trainers will be confined: a warning when the operator opted out
 * (`none`), an error naming the fix when bubblewrap cannot start here (custom trials then fail
 * with TRAINER_SANDBOX_UNAVAILABLE and are retried, so another worker may take them).
 */
export function logSandbox(
  mode: TrainerSandbox,
  pathVar: string | undefined,
  logger: Logger,
): void {
  if (mode === 'none') {
    logger.warn(
      { trainerSandbox: mode },
      'custom trainers run WITHOUT a sandbox (STRATUS_TRAINER_SANDBOX=none): their code can reach everything this worker can; use only on a single-user machine',
    );
    return;
  }
  const probe = probeSandbox(pathVar);
  if (probe.ok)
    logger.info({ trainerSandbox: mode }, 'custom trainers run in the bubblewrap sandbox');
  else {
    logger.error(
      { trainerSandbox: mode, reason: probe.reason },
      'custom trainers will be refused: the bubblewrap sandbox cannot start here (apt-get install bubblewrap; see docs/operations.md, "Trainer sandbox"), or set STRATUS_TRAINER_SANDBOX=none on a single-user machine',
    );
  }
}
