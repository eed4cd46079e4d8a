import { gzipSync } from 'node:zlib';

/** One hand-made tar entry; `type` is the ustar typeflag ('0' file, '1' hard link, '2' symlink, '3' char device, '5' dir, 'x' pax header). */
export interface FixtureEntry {
  readonly path: string;
  readonly type?: '0' | '1' | '2' | '3' | '5' | 'x';
  readonly body?: string | Buffer;
  readonly linkpath?: string;
  readonly mode?: number;
}

const octal = (value: number, width: number): string =>
  value.toString(8).padStart(width - 1, '0') + '\0';

function header(entry: FixtureEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(entry.path, 0, 100, 'utf8');
  block.write(octal(entry.mode ?? 0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(1_700_000_000, 12), 136, 'ascii');
  block.write(' '.repeat(8), 148, 'ascii');
  block.write(entry.type ?? '0', 156, 'ascii');
  block.write(entry.linkpath ?? '', 157, 100, 'utf8');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/** A pax extended-header body setting `key` to `value` for the next entry. */
export function paxRecord(key: string, value: string): string {
  const text = ` ${key}=${value}\n`;
  let length = text.length + 1;
  while (`${length}${text}`.length !== length) length += 1;
  return `${length}${text}`;
}

/** Raw tar bytes (no compression) holding exactly the given entries. */
export function tarBytes(entries: readonly FixtureEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = typeof entry.body === 'string' ? Buffer.from(entry.body) : (entry.body ?? null);
    const size =
      entry.type === undefined || entry.type === '0' || entry.type === 'x'
        ? (body?.length ?? 0)
        : 0;
    blocks.push(header(entry, size));
    if (body !== null && size > 0) {
      blocks.push(body, Buffer.alloc((512 - (size % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A gzip'd tarball (what `npm pack` writes) holding exactly the given entries. */
export const tarball = (entries: readonly FixtureEntry[]): Buffer => gzipSync(tarBytes(entries));
