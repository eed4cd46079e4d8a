import type { ClientContext, Redis, Result } from 'ioredis';
import { BUCKET_COMMANDS } from './commands/bucket.js';
import { defineCommands, type CommandArgs } from './commands/command.js';
import { JOB_COMMANDS } from './commands/job.js';
import { MODEL_COMMANDS } from './commands/model.js';
import { PATCH_COMMANDS } from './commands/patch.js';
import { PROJECT_SLOT_COMMANDS } from './commands/project-slots.js';
import { TRIAL_COMMANDS } from './commands/trial.js';
import { TRIAL_START_COMMANDS } from './commands/trial-start.js';

/**
 * Every Lua command of the store (`packages/store/lua/`, loaded once when
 * their modules are imported), registered with ioredis `defineCommand`:
 * ioredis sends EVALSHA and falls back to EVAL once per connection, so each
 * call is one round trip.
 */
export const STORE_COMMANDS = [
  ...JOB_COMMANDS,
  ...TRIAL_COMMANDS,
  ...TRIAL_START_COMMANDS,
  ...MODEL_COMMANDS,
  ...PATCH_COMMANDS,
  ...BUCKET_COMMANDS,
  ...PROJECT_SLOT_COMMANDS,
] as const;

/** One store command: its name is a literal type, `stratus` + its file name in PascalCase. */
export type StoreCommand = (typeof STORE_COMMANDS)[number];

/**
 * The method ioredis gets for each store command, written from
 * {@link STORE_COMMANDS} itself, so no command can lack one nor a method
 * outlive its command: `stratusTransitionJob(args)`, where `args` is what
 * `commandArgs(TRANSITION_JOB, …)` builds; the raw reply is for the
 * command's decoder.
 */
type StoreCommandMethods<Context extends ClientContext> = {
  [C in StoreCommand as C['name']]: (args: CommandArgs<C>) => Result<unknown, Context>;
};

declare module 'ioredis' {
  // On a connection (`Promise` of the reply) and on a pipeline (the pipeline) alike.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- its members come from the type it extends
  interface RedisCommander<Context> extends StoreCommandMethods<Context> {}
}

/** Register the scripts on a connection (idempotent: redefining replaces them). */
export const defineScripts = (redis: Redis): void => {
  defineCommands(redis, STORE_COMMANDS);
};
