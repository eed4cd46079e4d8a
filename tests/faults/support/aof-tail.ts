/**
 * The tail of a stopped redis-server's append-only file: what a crash keeps.
 * A SIGKILL keeps every write the kernel already has; a machine crash with
 * `appendfsync everysec` may lose up to the last second. The cuts here play
 * the latter: every write after a chosen point is gone.
 */
import { readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';

/** The AOF file redis-server appends to now (Redis 7 multi-part AOF: the last `type i` file). */
export const currentAofFile = async (dir: string): Promise<string> => {
  const aofDir = join(dir, 'appendonlydir');
  const manifest = await readFile(join(aofDir, 'appendonly.aof.manifest'), 'utf8');
  const incr = manifest
    .split('\n')
    .map((line) => /^file (\S+) seq (\d+) type i$/.exec(line.trim()))
    .filter((match) => match !== null)
    .sort((a, b) => Number(a[2]) - Number(b[2]))
    .at(-1);
  if (incr?.[1] === undefined) throw new Error(`no incremental AOF in ${manifest}`);
  return join(aofDir, incr[1]);
};

/** One command of the AOF, where it starts, and where the transaction it is part of starts. */
export interface AofCommand {
  readonly args: readonly string[];
  readonly start: number;
  readonly end: number;
  /** Where a cut must go to drop this command: its MULTI's start inside a transaction. */
  readonly cutAt: number;
}

/** Parse RESP arrays of bulk strings (what an AOF holds) from `aof`. */
const parseCommands = (aof: Buffer): AofCommand[] => {
  const commands: AofCommand[] = [];
  const line = (from: number): [string, number] => {
    const eol = aof.indexOf('\r\n', from);
    if (eol < 0) throw new Error(`truncated AOF at ${from}`);
    return [aof.toString('latin1', from, eol), eol + 2];
  };
  let multiAt: number | undefined;
  for (let at = 0; at < aof.length;) {
    const start = at;
    const [count, afterCount] = line(at);
    if (!count.startsWith('*')) throw new Error(`not a RESP array at ${at}: ${count}`);
    at = afterCount;
    const args: string[] = [];
    for (let i = 0; i < Number(count.slice(1)); i += 1) {
      const [length, afterLength] = line(at);
      const end = afterLength + Number(length.slice(1));
      args.push(aof.toString('utf8', afterLength, end));
      at = end + 2;
    }
    const name = args[0]?.toUpperCase();
    if (name === 'MULTI') multiAt = start;
    commands.push({ args, start, end: at, cutAt: multiAt ?? start });
    if (name === 'EXEC') multiAt = undefined;
  }
  return commands;
};

/** The commands of the current AOF, oldest first. */
export const readAof = async (dir: string): Promise<AofCommand[]> =>
  parseCommands(await readFile(await currentAofFile(dir)));

/** Cut the AOF at `offset` (a command boundary); returns the bytes cut off. */
const cutAt = async (dir: string, offset: number): Promise<number> => {
  const file = await currentAofFile(dir);
  const size = (await readFile(file)).length;
  await truncate(file, offset);
  return size - offset;
};

/** Cut the AOF just after the write whose last argument is `value`; returns the bytes cut off. */
export const cutAofAfter = async (dir: string, value: string): Promise<number> => {
  const command = (await readAof(dir)).findLast((c) => c.args.at(-1) === value);
  if (command === undefined) throw new Error(`the AOF holds no write of ${value}`);
  return cutAt(dir, command.end);
};

/**
 * Cut the AOF just before the first command (with its whole transaction) that
 * `matches`: that write and every later one are lost. Returns the bytes cut off.
 */
export const cutAofBefore = async (
  dir: string,
  matches: (args: readonly string[]) => boolean,
): Promise<number> => {
  const command = (await readAof(dir)).find((c) => matches(c.args));
  if (command === undefined) throw new Error('the AOF holds no such write');
  return cutAt(dir, command.cutAt);
};

/** The last value the AOF sets `field` of hash `key` to (HSET/HMSET), if any. */
export const lastHashValue = (
  commands: readonly AofCommand[],
  key: string,
  field: string,
): string | undefined => {
  let value: string | undefined;
  for (const { args } of commands) {
    if (!['HSET', 'HMSET'].includes(args[0]?.toUpperCase() ?? '') || args[1] !== key) continue;
    for (let i = 2; i + 1 < args.length; i += 2) if (args[i] === field) value = args[i + 1];
  }
  return value;
};

/** The steps of the `loss` points the AOF appends to metric stream `key`. */
export const lossSteps = (commands: readonly AofCommand[], key: string): number[] =>
  commands
    .filter(({ args }) => args[0]?.toUpperCase() === 'XADD' && args[1] === key)
    .filter(({ args }) => args[args.indexOf('name') + 1] === 'loss')
    .map(({ args }) => Number(args[args.indexOf('step') + 1]));
