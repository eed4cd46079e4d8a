import type { Redis, RedisCommander } from 'ioredis';
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
export const STORE_COMMANDS = [
  ...JOB_COMMANDS,
  ...TRIAL_COMMANDS,
  ...TRIAL_START_COMMANDS,
  ...MODEL_COMMANDS,
  ...BUCKET_COMMANDS,
  ...PROJECT_SLOT_COMMANDS,
] as const;

type Registered = (typeof STORE_COMMANDS)[number]['name'];
type Typed = Extract<keyof RedisCommander, `stratus${string}`>;

/** `true` when `Missing` is empty; else `Missing` itself, so the error names what is missing. */
type NoneOf<Missing> = [Missing] extends [never] ? true : Missing;

/*
 * Each file in `commands/` types its commands on ioredis (`declare module
 * 'ioredis'`). These fail to compile, naming the command, when a registered
 * command has no method type (a call would not compile) or a method type
 * names no registered command (a call would compile, then find no method).
 */
const _everyCommandTyped: NoneOf<Exclude<Registered, Typed>> = true;
const _everyTypeRegistered: NoneOf<Exclude<Typed, Registered>> = true;

/** Register the scripts on a connection (idempotent: redefining replaces them). */
export const defineScripts = (redis: Redis): void => {
  defineCommands(redis, STORE_COMMANDS);
};
