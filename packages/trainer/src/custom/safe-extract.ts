import { createWriteStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { StratusError, coerceError } from '@stratus/spec';
import { Parser, type ReadEntry } from 'tar';
import { checkEntryPath } from './entry-path.js';

/** Caps that keep a hostile tarball (a zip bomb, a million tiny files) from filling the disk. */
export interface ExtractLimits {
  /** Most bytes the decompressed tar stream may hold, headers included. @defaultValue 256 MiB */
  readonly maxBytes?: number;
  /** Most entries (files and directories). @defaultValue 10000 */
  readonly maxEntries?: number;
}

export interface ExtractOptions {
  /** The tarball's URI, named in error messages. */
  readonly uri: string;
  readonly limits?: ExtractLimits;
}

export interface ExtractResult {
  readonly files: number;
  readonly directories: number;
  /** Bytes of file content written. */
  readonly bytes: number;
}

export const DEFAULT_EXTRACT_LIMITS: Required<ExtractLimits> = {
  maxBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
};

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const DEVICE_TYPES: Readonly<Record<string, string>> = {
  CharacterDevice: 'a character device',
  BlockDevice: 'a block device',
  FIFO: 'a FIFO',
};

/**
 * Extracts an `npm pack` tarball (gzip'd tar) into `destination`, which must be empty or
 * absent, stripping the top-level folder. Only regular files and directories are written:
 * links of either kind are refused, not followed or re-pointed, because `npm pack` never
 * produces them and a link is the classic way out of an extraction dir. Every refusal is a
 * StratusError PACKAGE_INVALID naming the entry.
 */
export async function extractPackageTarball(
  source: Readable | AsyncIterable<Uint8Array>,
  destination: string,
  options: ExtractOptions,
): Promise<ExtractResult> {
  const { maxBytes, maxEntries } = { ...DEFAULT_EXTRACT_LIMITS, ...options.limits };
  const refuse = (detail: string): StratusError =>
    new StratusError('PACKAGE_INVALID', { uri: options.uri, detail });
  const root = path.resolve(destination);
  await mkdir(root, { recursive: true });
  if ((await readdir(root)).length > 0) {
    throw new StratusError('INTERNAL', { detail: `extraction dir ${root} is not empty` });
  }

  let failure: Error | undefined;
  let rejectFailed: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
  failed.catch(() => undefined);
  const active = new Set<ReadEntry>();
  const fail = (error: Error): void => {
    if (failure !== undefined) return;
    failure = error;
    rejectFailed(error);
    // Close files still being written so no descriptor outlives the refusal.
    for (const entry of active) entry.destroy(error);
  };

  const counts = { files: 0, directories: 0, bytes: 0, entries: 0 };
  const writes: Promise<void>[] = [];
  let top: string | undefined;
  const parser = new Parser({ strict: true, maxMetaEntrySize: 1024 * 1024 });

  const write = (entry: ReadEntry, target: string): Promise<void> => {
    // Never setuid/setgid; keep the executable bit only.
    const mode = ((entry.mode ?? 0o644) & 0o111) === 0 ? 0o644 : 0o755;
    active.add(entry);
    return (async () => {
      await mkdir(path.dirname(target), { recursive: true });
      // 'wx': a second entry with the same path is refused instead of overwriting the first.
      await pipeline(entry, createWriteStream(target, { flags: 'wx', mode }));
    })().finally(() => active.delete(entry));
  };

  const handleEntry = (entry: ReadEntry): void => {
    counts.entries += 1;
    if (counts.entries > maxEntries) throw refuse(`it has more than ${maxEntries} entries`);
    const check = checkEntryPath(entry.path);
    if (!check.ok) throw refuse(`entry "${entry.path}" ${check.reason}`);
    top ??= check.top;
    if (check.top !== top) {
      throw refuse(`entry "${entry.path}" is outside the top-level folder "${top}/"`);
    }
    const device = DEVICE_TYPES[entry.type];
    if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
      const kind = entry.type === 'Link' ? 'a hard link' : 'a symbolic link';
      throw refuse(
        `entry "${entry.path}" is ${kind} to "${entry.linkpath ?? ''}"; trainer packages may hold only files and directories`,
      );
    }
    if (device !== undefined) {
      throw refuse(`entry "${entry.path}" is ${device}; only files and directories are allowed`);
    }
    const target = path.join(root, check.relative);
    if (target !== root && !target.startsWith(root + path.sep)) {
      throw refuse(`entry "${entry.path}" resolves outside the package`);
    }
    if (entry.type === 'Directory' || entry.type === 'GNUDumpDir') {
      counts.directories += 1;
      writes.push(mkdir(target, { recursive: true }).then(() => undefined));
      entry.resume();
      return;
    }
    if (!FILE_TYPES.has(entry.type)) {
      throw refuse(`entry "${entry.path}" has unsupported type ${entry.type}`);
    }
    if (check.relative === '') throw refuse(`entry "${entry.path}" is a file, not a folder`);
    if (counts.bytes + entry.size > maxBytes) {
      throw refuse(`its files hold more than ${maxBytes} bytes (at entry "${entry.path}")`);
    }
    counts.files += 1;
    counts.bytes += entry.size;
    const written = write(entry, target).catch((error: unknown) => {
      const cause = coerceError(error);
      fail(refuse(`entry "${entry.path}" cannot be written: ${cause.message}`));
    });
    writes.push(written);
  };

  parser.on('entry', (entry: ReadEntry) => {
    if (failure !== undefined) {
      entry.resume();
      return;
    }
    try {
      handleEntry(entry);
    } catch (error) {
      entry.resume();
      fail(coerceError(error));
    }
  });
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    fail(refuse(`entry "${entry.path}" has an unsupported type or an oversized header`));
  });
  parser.on('error', (error: Error) => {
    fail(refuse(`it is not a valid tar archive (${error.message})`));
  });
  const ended = new Promise<void>((resolve) => parser.on('end', () => resolve()));

  let unpacked = 0;
  try {
    await pipeline(source, createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        unpacked += chunk.length;
        if (unpacked > maxBytes) fail(refuse(`it unpacks to more than ${maxBytes} bytes`));
        if (failure !== undefined) throw failure;
        const more = parser.write(chunk);
        if (failure !== undefined) throw failure;
        if (!more) await Promise.race([new Promise((r) => parser.once('drain', r)), failed]);
      }
    });
    parser.end();
    await Promise.race([ended, failed]);
    await Promise.all(writes);
  } catch (error) {
    // Let destroyed writes settle, so nothing lands in the package dir after the refusal.
    await Promise.allSettled(writes);
    const cause = failure ?? coerceError(error);
    if (cause instanceof StratusError) throw cause;
    const zlib = (cause as NodeJS.ErrnoException).code?.startsWith('Z_') === true;
    if (zlib) throw refuse(`it is not gzip-compressed (npm pack output): ${cause.message}`);
    throw cause;
  }
  if (failure !== undefined) throw failure;
  return { files: counts.files, directories: counts.directories, bytes: counts.bytes };
}
