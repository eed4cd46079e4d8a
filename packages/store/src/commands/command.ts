import type { Redis } from 'ioredis';
import { asStrings } from '../redis-util.js';
import { loadLua, type LuaValue } from './loader.js';

/** One KEYS or ARGV entry as ioredis sends it. */
export type ScriptArg = string | number;

/** `start-trial` → `StartTrial`, as {@link pascal} writes it at run time. */
type Pascal<F extends string> = F extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${Pascal<Tail>}`
  : Capitalize<F>;

/** The ioredis command name of `lua/<F>.lua`: `stratus` + the file name in PascalCase. */
export type CommandName<F extends string> = `stratus${Pascal<F>}`;

/**
 * A Lua command: its source (loaded once, when its module is imported), the
 * name ioredis registers it under, and the names of its fixed KEYS and ARGV.
 */
export interface LuaCommand<N extends string, K extends string, A extends string> {
  /** The ioredis command name, `stratus` + the file name in PascalCase. */
  readonly name: N;
  readonly lua: string;
  readonly keys: readonly K[];
  readonly args: readonly A[];
}

/** Any command, for registration. */
export type AnyLuaCommand = LuaCommand<string, string, string>;

/** One call: the named KEYS and ARGV, then the variable-length tails the script reads past them. */
export interface CommandCall<K extends string, A extends string> {
  readonly keys: Readonly<Record<K, string>>;
  readonly args: Readonly<Record<A, ScriptArg>>;
  readonly moreKeys?: readonly string[];
  readonly moreArgs?: readonly ScriptArg[];
}

declare const forCommand: unique symbol;

/**
 * `[numKeys, ...KEYS, ...ARGV]` for the command `C`, as {@link commandArgs}
 * builds it. Its ioredis method takes only these, as one array (ioredis
 * flattens it into EVALSHA's arguments), so a list built for one command
 * cannot be sent to another.
 */
export type CommandArgs<C extends AnyLuaCommand> = readonly [
  numKeys: number,
  ...rest: ScriptArg[],
] & { readonly [forCommand]: C['name'] };

const pascal = (file: string): string =>
  file
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Load `lua/<file>.lua` for the encoder that passes `keys` and `args` in this order. */
export const luaCommand = <const F extends string, const K extends string, const A extends string>(
  file: F,
  spec: {
    readonly keys: readonly K[];
    readonly args: readonly A[];
    readonly constants?: Readonly<Record<string, LuaValue>>;
  },
): LuaCommand<CommandName<F>, K, A> => ({
  name: `stratus${pascal(file)}` as CommandName<F>,
  lua: loadLua(file, spec),
  keys: spec.keys,
  args: spec.args,
});

/** The arguments of one call to `command` (its KEYS, then its ARGV, each named, then the tails). */
export const commandArgs = <N extends string, K extends string, A extends string>(
  command: LuaCommand<N, K, A>,
  call: CommandCall<NoInfer<K>, NoInfer<A>>,
): CommandArgs<LuaCommand<N, K, A>> => {
  const keys = command.keys.map((name) => call.keys[name]);
  if (call.moreKeys !== undefined) keys.push(...call.moreKeys);
  const args = command.args.map((name) => call.args[name]);
  const flat: ScriptArg[] = [keys.length, ...keys, ...args, ...(call.moreArgs ?? [])];
  // The brand exists in types only; ioredis gets a plain array.
  return flat as unknown as CommandArgs<LuaCommand<N, K, A>>;
};

/** Register commands on a connection (idempotent: redefining replaces them). */
export const defineCommands = (redis: Redis, commands: readonly AnyLuaCommand[]): void => {
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

/** The named KEYS and ARGV of a call to `C` (an encoder's input, before its tails). */
export type NamedCall<C> =
  C extends LuaCommand<string, infer K, infer A> ? Pick<CommandCall<K, A>, 'keys' | 'args'> : never;
