import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LUA_DIR, loadLua, luaLiteral, luaSet } from './loader.js';

const root = mkdtempSync(join(tmpdir(), 'stratus-lua-'));
mkdirSync(join(root, 'include'));
const dir = pathToFileURL(`${root}/`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const write = (path: string, lines: readonly string[]): void =>
  writeFileSync(join(root, `${path}.lua`), `${lines.join('\n')}\n`);

write('include/twice', ['local function twice(x) return x * 2 end']);
write('include/quad', ['--- @include twice', 'local function quad(x) return twice(twice(x)) end']);

describe('the Lua loader', () => {
  it('pastes includes (nested ones too, each once) and writes constants in', () => {
    write('uses-quad', [
      'local counterKey = KEYS[1]',
      'local step = ARGV[1]',
      '--- @const LIMIT',
      '--- @const FIXED_ARGS',
      '--- @include quad',
      '--- @include twice',
      "return redis.call('INCRBY', counterKey, math.min(LIMIT, quad(tonumber(step))))",
    ]);
    expect(
      loadLua('uses-quad', { keys: ['counter'], args: ['step'], constants: { LIMIT: 40 } }, dir),
    ).toBe(
      [
        'local counterKey = KEYS[1]',
        'local step = ARGV[1]',
        'local LIMIT = 40',
        'local FIXED_ARGS = 1',
        'local function twice(x) return x * 2 end',
        'local function quad(x) return twice(twice(x)) end',
        "return redis.call('INCRBY', counterKey, math.min(LIMIT, quad(tonumber(step))))",
        '',
      ].join('\n'),
    );
  });

  it('throws on an include that has no file', () => {
    write('uses-missing', ['local counterKey = KEYS[1]', '--- @include nope', 'return 1']);
    expect(() => loadLua('uses-missing', { keys: ['counter'], args: [] }, dir)).toThrow(
      `Lua file include/nope.lua (included by uses-missing.lua) cannot be read from ${root}/include/nope.lua`,
    );
  });

  it('throws when a constant is missing on either side', () => {
    write('wants-limit', ['--- @const LIMIT', 'return LIMIT']);
    expect(() => loadLua('wants-limit', { keys: [], args: [] }, dir)).toThrow(
      'wants-limit.lua wants constant LIMIT, none is given',
    );
    expect(() =>
      loadLua('wants-limit', { keys: [], args: [], constants: { LIMIT: 1, EXTRA: 2 } }, dir),
    ).toThrow('wants-limit.lua has no --- @const line for EXTRA');
  });

  it('throws when a named local does not match what the wrapper passes', () => {
    write('named', ['local jobKey = KEYS[1]', 'local jobId = ARGV[1]', 'return jobId']);
    expect(loadLua('named', { keys: ['job'], args: ['jobId'] }, dir)).toContain('return jobId');
    expect(() => loadLua('named', { keys: ['meta'], args: ['jobId'] }, dir)).toThrow(
      'named.lua: local jobKey = KEYS[1], but the wrapper passes metaKey there',
    );
    expect(() => loadLua('named', { keys: ['job'], args: [] }, dir)).toThrow(
      'named.lua: local jobId = ARGV[1], but the wrapper passes nothing there',
    );
    expect(() => loadLua('named', { keys: ['job'], args: ['jobId', 'now'] }, dir)).toThrow(
      'named.lua does not name ARGV[2] (now)',
    );
  });

  it('writes tables, sets and strings as Lua literals', () => {
    expect(luaLiteral({ QUEUED: luaSet(['RUNNING', 'FAILED']), DONE: {} })).toBe(
      '{QUEUED = {RUNNING = true, FAILED = true}, DONE = {}}',
    );
    expect(luaLiteral(['a', "it's", 3])).toBe("{'a', 'it\\'s', 3}");
    expect(luaLiteral({ 'not-a-name': false })).toBe("{['not-a-name'] = false}");
    expect(() => luaLiteral(0.5)).toThrow('Lua constant 0.5 is not an integer');
  });

  it('finds the store’s own scripts next to src/', () => {
    expect(loadLua('release-lock', { keys: ['lock'], args: ['token'] }, LUA_DIR)).toContain(
      "redis.call('DEL', lockKey)",
    );
  });
});
