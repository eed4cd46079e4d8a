import { readFileSync } from 'node:fs';

/**
 * The Lua script loader. One command is one file in `packages/store/lua/`;
 * its first lines name its KEYS and ARGV (`local metaKey = KEYS[1]`,
 * `local jobId = ARGV[1]`), and two directives, each alone on a line, are
 * replaced at load time:
 *
 * - `--- @include in_csv` pastes `lua/include/in_csv.lua` (once per script,
 *   however often it is asked for; fragments may include fragments);
 * - `--- @const TERMINAL` becomes `local TERMINAL = <literal>`, the value
 *   given by the TypeScript side, so a table such as the job-state graph is
 *   written once, in `@stratus/spec`, never retyped in Lua. `FIXED_KEYS` and
 *   `FIXED_ARGS` (how many KEYS and ARGV the command names) need not be given.
 *
 * The loader checks the named locals against the names the TypeScript
 * wrapper passes, in order (KEYS[i] is `<keys[i-1]>Key`, ARGV[i] is
 * `<args[i-1]>`), so a positional mismatch fails at load, not in Redis.
 */

/** A value written into a script as a Lua literal: integers, strings, booleans, lists and tables. */
export type LuaValue =
  number | string | boolean | readonly LuaValue[] | { readonly [name: string]: LuaValue };

/** What a script is loaded with. */
export interface LuaSpec {
  /** Names of the fixed KEYS, in order (the script's locals are `<name>Key`). */
  readonly keys: readonly string[];
  /** Names of the fixed ARGV, in order (the script's locals have the same names). */
  readonly args: readonly string[];
  /** Values for the script's `--- @const` lines. */
  readonly constants?: Readonly<Record<string, LuaValue>>;
}

/** `packages/store/lua/`: two levels up from both `src/commands/` and `dist/commands/`. */
export const LUA_DIR = new URL('../../lua/', import.meta.url);

const INCLUDE = /^--- @include (\S+)$/;
const CONSTANT = /^--- @const (\S+)$/;
const NAMED = /^local (\w+) = (KEYS|ARGV)\[(\d+)\]$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A table of names → true, Lua's set. */
export const luaSet = (names: readonly string[]): Record<string, true> =>
  Object.fromEntries(names.map((name) => [name, true]));

const luaString = (value: string): string =>
  `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** `value` as a Lua literal. Numbers must be integers: Lua 5.1 would print others to 14 digits. */
export const luaLiteral = (value: LuaValue): string => {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new TypeError(`Lua constant ${value} is not an integer`);
    return String(value);
  }
  if (typeof value === 'string') return luaString(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return `{${value.map((item: LuaValue) => luaLiteral(item)).join(', ')}}`;
  const entries = Object.entries(value as Record<string, LuaValue>).map(
    ([name, item]) =>
      `${IDENTIFIER.test(name) ? name : `[${luaString(name)}]`} = ${luaLiteral(item)}`,
  );
  return `{${entries.join(', ')}}`;
};

const readLua = (dir: URL, path: string, from: string): string => {
  const url = new URL(`${path}.lua`, dir);
  try {
    return readFileSync(url, 'utf8');
  } catch (error) {
    throw new Error(`Lua file ${path}.lua (${from}) cannot be read from ${url.pathname}`, {
      cause: error,
    });
  }
};

/** Paste every `--- @include` (depth first, each fragment once). */
const expandIncludes = (dir: URL, source: string, from: string, included: Set<string>): string[] =>
  source
    .trimEnd()
    .split('\n')
    .flatMap((line) => {
      const include = INCLUDE.exec(line.trim());
      if (include === null) return [line.trimEnd()];
      const name = include[1] ?? '';
      if (included.has(name)) return [];
      included.add(name);
      const fragment = readLua(dir, `include/${name}`, `included by ${from}`);
      return expandIncludes(dir, fragment, `include/${name}.lua`, included);
    });

const checkNamed = (file: string, lines: readonly string[], spec: LuaSpec): void => {
  const seen = { KEYS: new Set<number>(), ARGV: new Set<number>() };
  for (const line of lines) {
    const named = NAMED.exec(line.trim());
    if (named === null) continue;
    const [, local = '', table = 'KEYS', at = '0'] = named;
    const kind = table === 'KEYS' ? 'KEYS' : 'ARGV';
    const index = Number(at);
    const names = kind === 'KEYS' ? spec.keys : spec.args;
    const name = names[index - 1];
    const expected = name === undefined ? undefined : kind === 'KEYS' ? `${name}Key` : name;
    if (local !== expected) {
      throw new Error(
        `${file}.lua: local ${local} = ${kind}[${index}], but the wrapper passes ${expected ?? 'nothing'} there`,
      );
    }
    seen[kind].add(index);
  }
  for (const [kind, names] of [
    ['KEYS', spec.keys],
    ['ARGV', spec.args],
  ] as const) {
    const missing = names.findIndex((_, i) => !seen[kind].has(i + 1));
    if (missing >= 0) {
      throw new Error(`${file}.lua does not name ${kind}[${missing + 1}] (${names[missing]})`);
    }
  }
};

/**
 * The source of `lua/<file>.lua` with its includes pasted and its constants
 * written in; throws on an unknown include, a constant missing on either side,
 * or a named local that does not match `spec`.
 */
export const loadLua = (file: string, spec: LuaSpec, dir: URL = LUA_DIR): string => {
  const lines = expandIncludes(dir, readLua(dir, file, 'a command'), `${file}.lua`, new Set());
  checkNamed(file, lines, spec);
  const constants: Record<string, LuaValue> = {
    FIXED_KEYS: spec.keys.length,
    FIXED_ARGS: spec.args.length,
    ...spec.constants,
  };
  const used = new Set<string>();
  const source = lines.map((line) => {
    const constant = CONSTANT.exec(line.trim());
    if (constant === null) return line;
    const name = constant[1] ?? '';
    const value = constants[name];
    if (value === undefined) throw new Error(`${file}.lua wants constant ${name}, none is given`);
    used.add(name);
    return `local ${name} = ${luaLiteral(value)}`;
  });
  const unused = Object.keys(spec.constants ?? {}).filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new Error(`${file}.lua has no --- @const line for ${unused.join(', ')}`);
  }
  return `${source.join('\n').trim()}\n`;
};
