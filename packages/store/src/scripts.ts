import type { Redis } from 'ioredis';
import { BUCKET_COMMANDS } from './commands/bucket.js';
import { defineCommands } from './commands/command.js';
import { JOB_COMMANDS } from './commands/job.js';
import { MODEL_COMMANDS } from './commands/model.js';
import { PROJECT_SLOT_COMMANDS } from './commands/project-slots.js';
import { TRIAL_COMMANDS } from './commands/trial.js';
import { TRIAL_START_COMMANDS } from './commands/trial-start.js';

/**
 * Every Lua command of the store (`packages/store/lua/`, loaded once when
 * their modules are imported), registered with ioredis `defineCommand`:
 * ioredis sends EVALSHA and falls back to EVAL once per connection, so each
 * call is one round trip.
 */
const COMMANDS = [
  ...JOB_COMMANDS,
  ...TRIAL_COMMANDS,
  ...TRIAL_START_COMMANDS,
  ...MODEL_COMMANDS,
  ...BUCKET_COMMANDS,
  ...PROJECT_SLOT_COMMANDS,
];

/** Register the scripts on a connection (idempotent: redefining replaces them). */
export const defineScripts = (redis: Redis): void => {
  defineCommands(redis, COMMANDS);
};
