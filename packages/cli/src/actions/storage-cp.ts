import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Storage } from '@stratus/storage';
import { UsageError } from '../cli-errors.js';
import type { ActionHandler, CommandContext } from '../context.js';
import { bucketOf, ensureBucketAccess, type BucketUse } from './bucket-claims.js';
import { formatBytes } from '../output/progress-bar.js';
import { downloadFile, transferView, uploadFile } from './transfers.js';

interface CopyOptions {
  readonly recursive?: boolean;
}

const isGs = (location: string): boolean => location.startsWith('gs://');

/** The last path segment of a URI or path, ignoring a trailing slash. */
const lastSegment = (location: string): string =>
  location.replace(/\/+$/, '').split('/').pop() ?? '';

const joinUri = (prefix: string, name: string): string => `${prefix.replace(/\/+$/, '')}/${name}`;

/** Every regular file under a local directory, as paths relative to it with `/` separators. */
const walk = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
};

const localKind = async (path: string): Promise<'file' | 'dir' | undefined> => {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  return info.isDirectory() ? 'dir' : 'file';
};

/** A pair to copy and, for downloads, the size for the progress bar. */
interface Copy {
  readonly from: string;
  readonly to: string;
  readonly size?: number;
}

/**
 * With -r, SRC is copied into DST as `DST/<name of SRC>/…`, like `cp -r`;
 * a SRC ending in `/` copies its contents instead (`DST/…`), like rsync.
 */
const recursiveTarget = (src: string, dst: string, rel: string, toGs: boolean): string => {
  const base = src.endsWith('/') ? rel : `${lastSegment(src)}/${rel}`;
  return toGs ? joinUri(dst, base) : join(dst, ...base.split('/'));
};

const planCopies = async (
  ctx: CommandContext,
  storage: Storage,
  src: string,
  dst: string,
  recursive: boolean,
): Promise<Copy[]> => {
  const toGs = isGs(dst);
  const dstPath = toGs ? dst : ctx.session.path(dst);
  if (!isGs(src)) {
    const path = ctx.session.path(src);
    const kind = await localKind(path);
    if (kind === undefined) throw new UsageError(`${src}: no such file or directory`);
    if (kind === 'dir') {
      if (!recursive) throw new UsageError(`${src} is a directory; use -r to copy it`);
      const files = await walk(path);
      return files.map((rel) => ({
        from: join(path, ...rel.split('/')),
        to: recursiveTarget(src, dstPath, rel, toGs),
      }));
    }
    const into = dst.endsWith('/') ? joinUri(dst, basename(path)) : dst;
    return [{ from: path, to: into }];
  }
  if (!recursive) {
    const object = await storage.stat(src).catch(async (error: unknown) => {
      const page = await storage.list(`${src.replace(/\/+$/, '')}/`, { pageSize: 1 });
      if (page.objects.length > 0) throw new UsageError(`${src} is a prefix; use -r to copy it`);
      throw error;
    });
    const intoDir = toGs
      ? dst.endsWith('/')
      : dst.endsWith('/') || (await localKind(dstPath)) === 'dir';
    const target = intoDir
      ? toGs
        ? joinUri(dst, lastSegment(src))
        : join(dstPath, lastSegment(src))
      : dstPath;
    return [{ from: src, to: target, size: object.size }];
  }
  const prefix = src.endsWith('/') ? src : `${src}/`;
  const copies: Copy[] = [];
  for await (const object of storage.listAll(prefix)) {
    const rel = object.uri.slice(prefix.length);
    copies.push({
      from: object.uri,
      to: recursiveTarget(src, dstPath, rel, toGs),
      size: object.size,
    });
  }
  if (copies.length === 0) throw new UsageError(`${src} matches no objects`);
  return copies;
};

/**
 * `stratus storage cp SRC DST`: local↔gs:// and gs://→gs://, `-r` for trees.
 * The buckets are claimed for the project through the API first (see
 * ensureBucketAccess); the copy itself goes through the configured storage.
 */
export const storageCp: ActionHandler<CopyOptions> = async (ctx, args, options) => {
  const [src, dst] = args as [string, string];
  if (!isGs(src) && !isGs(dst)) {
    throw new UsageError('one of SRC and DST must be a gs:// URI (use cp for local copies)');
  }
  const uses: BucketUse[] = [
    ...(isGs(src) ? [{ bucket: bucketOf(src), access: 'read' as const }] : []),
    ...(isGs(dst) ? [{ bucket: bucketOf(dst), access: 'write' as const }] : []),
  ];
  const unclaimed = await ensureBucketAccess(ctx, uses);
  const storage = await ctx.session.storage();
  const copies = await planCopies(ctx, storage, src, dst, options.recursive === true);
  const view = transferView(ctx.io, ctx.printer.quiet);
  let bytes = 0;
  for (const copy of copies) {
    const shownFrom = isGs(copy.from) ? copy.from : `file://${copy.from}`;
    const shownTo = isGs(copy.to) ? copy.to : `file://${copy.to}`;
    ctx.printer.info(`Copying ${shownFrom} to ${shownTo}`);
    if (!isGs(copy.from)) bytes += (await uploadFile(storage, copy.from, copy.to, view)).size;
    else if (!isGs(copy.to))
      bytes += await downloadFile(storage, copy.from, copy.to, view, copy.size);
    else bytes += (await storage.copy(copy.from, copy.to)).size;
  }
  ctx.printer.info(
    `Copied ${copies.length} ${copies.length === 1 ? 'file' : 'files'} (${formatBytes(bytes)}).`,
  );
  if (unclaimed !== undefined) ctx.printer.info(unclaimed);
};
