import type { ChainableCommander, Redis } from 'ioredis';
import { asStrings } from '../redis-util.js';
import { loadLua, type LuaValue } from './loader.js';

/** One KEYS or ARGV entry as ioredis sends it. */
export type ScriptArg = string | number;

/**
 * A Lua command: its source (loaded once, when its module is imported), the
 * name ioredis registers it under, and the names of its fixed KEYS and ARGV.
 */
export interface LuaCommand<K extends string, A extends string> {
  /** The ioredis command name, `stratus` + the file name in PascalCase. */
  readonly name: string;
  readonly lua: string;
  readonly keys: readonly K[];
  readonly args: readonly A[];
}

/** One call: the named KEYS and ARGV, then the variable-length tails the script reads past them. */
export interface CommandCall<K extends string, A extends string> {
  readonly keys: Readonly<Record<K, string>>;
  readonly args: Readonly<Record<A, ScriptArg>>;
  readonly moreKeys?: readonly string[];
  readonly moreArgs?: readonly ScriptArg[];
}

const pascal = (file: string): string =>
  file
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Load `lua/<file>.lua` for the wrapper that passes `keys` and `args` in this order. */
export const luaCommand = <const K extends string, const A extends string>(
  file: string,
  spec: {
    readonly keys: readonly K[];
    readonly args: readonly A[];
    readonly constants?: Readonly<Record<string, LuaValue>>;
  },
): LuaCommand<K, A> => ({
  name: `stratus${pascal(file)}`,
  lua: loadLua(file, spec),
  keys: spec.keys,
  args: spec.args,
});

type ScriptFn<R> = (this: unknown, numKeys: number, ...args: ScriptArg[]) => R;

const scriptFn = <R>(target: object, name: string): ScriptFn<R> => {
  const fn = (target as Record<string, unknown>)[name];
  if (typeof fn !== 'function') {
    throw new TypeError(`Redis script ${name} is not defined on this connection`);
  }
  return fn as ScriptFn<R>;
};

/** `[numKeys, ...KEYS, ...ARGV]`, the arguments of an ioredis defined command. */
const flatten = <K extends string, A extends string>(
  command: LuaCommand<K, A>,
  call: CommandCall<K, A>,
): [number, ...ScriptArg[]] => {
  const keys = command.keys.map((name) => call.keys[name]);
  if (call.moreKeys !== undefined) keys.push(...call.moreKeys);
  const args = command.args.map((name) => call.args[name]);
  return [keys.length, ...keys, ...args, ...(call.moreArgs ?? [])];
};

/** Run a command (EVALSHA, one round trip); its raw reply is for its wrapper to decode. */
export const runCommand = <K extends string, A extends string>(
  redis: Redis,
  command: LuaCommand<K, A>,
  call: CommandCall<K, A>,
): Promise<unknown> =>
  scriptFn<Promise<unknown>>(redis, command.name).call(redis, ...flatten(command, call));

/** Queue a command on a pipeline; its raw reply comes back with the pipeline's. */
export const queueCommand = <K extends string, A extends string>(
  pipeline: ChainableCommander,
  command: LuaCommand<K, A>,
  call: CommandCall<K, A>,
): ChainableCommander =>
  scriptFn<ChainableCommander>(pipeline, command.name).call(pipeline, ...flatten(command, call));

/** Register commands on a connection (idempotent: redefining replaces them). */
export const defineCommands = (
  redis: Redis,
  commands: readonly LuaCommand<string, string>[],
): void => {
  for (const command of commands) redis.defineCommand(command.name, { lua: command.lua });
};

/** A script's integer reply as the word it stands for; a TypeError for any other reply. */
export const decodeCode = <const W extends string>(
  script: string,
  reply: unknown,
  words: Readonly<Record<number, W>>,
): W => {
  const word = words[Number(reply)];
  if (word === undefined) throw new TypeError(`${script} script replied ${String(reply)}`);
  return word;
};

/**
 * A script's `{word, ...details}` reply: the word, one of those the script
 * may send (a TypeError for any other reply), and the strings after it.
 */
export const decodeWords = <const W extends string>(
  script: string,
  reply: unknown,
  words: readonly W[],
): { readonly outcome: W; readonly details: readonly string[] } => {
  const strings = asStrings(reply);
  const [first, ...details] = strings;
  const outcome = words.find((word) => word === first);
  if (outcome === undefined) throw new TypeError(`${script} script replied ${strings.join(' ')}`);
  return { outcome, details };
};

/** The named KEYS and ARGV of a call to `C` (a wrapper's input, before its tails). */
export type NamedCall<C> =
  C extends LuaCommand<infer K, infer A> ? Pick<CommandCall<K, A>, 'keys' | 'args'> : never;
