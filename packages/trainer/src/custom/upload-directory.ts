import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from '@stratus/storage';

export interface UploadResult {
  readonly files: number;
  readonly bytes: number;
  /** Entries that were not regular files (links, sockets), relative paths. */
  readonly skipped: readonly string[];
}

export interface UploadOptions {
  readonly signal?: AbortSignal;
  /** Upload only files whose size or mtime differ from what this map remembers; it is updated. */
  readonly seen?: Map<string, string>;
}

/**
 * Opens `file` for reading only if it is a regular file whose real path is inside `root`.
 * O_NOFOLLOW refuses a link in the last component; the check of the opened descriptor's own
 * path catches a directory above it swapped for a link while a trainer still runs. Returns
 * undefined when refused.
 */
async function openInside(file: string, root: string): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const [stat, real] = await Promise.all([
      handle.stat(),
      readlink(`/proc/self/fd/${handle.fd}`).catch(() => realpath(file)),
    ]);
    if (stat.isFile() && real.startsWith(`${root}${path.sep}`)) return handle;
  } catch {
    // fall through: refused
  }
  await handle.close();
  return undefined;
}

/**
 * Copies every regular file under `dir` to `prefixUri/<relative path>`. Symlinks are skipped,
 * never followed: the directory was written by untrusted trainer code, and a link to a file
 * outside it must not be uploaded (see {@link openInside}).
 */
export async function uploadDirectory(
  storage: Storage,
  dir: string,
  prefixUri: string,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const { signal, seen } = options;
  const prefix = prefixUri.replace(/\/+$/, '');
  const root = await realpath(dir);
  const result = { files: 0, bytes: 0, skipped: [] as string[] };
  const visit = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(root, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const file = path.join(root, child);
      const stat = await lstat(file);
      if (stat.isDirectory()) {
        await visit(child);
        continue;
      }
      const version = `${stat.size}:${stat.mtimeMs}`;
      if (stat.isFile() && seen?.get(child) === version) continue;
      const handle = stat.isFile() ? await openInside(file, root) : undefined;
      if (handle === undefined) {
        result.skipped.push(child);
        continue;
      }
      try {
        const size = (await handle.stat()).size;
        await storage.writeStream(
          `${prefix}/${child}`,
          handle.createReadStream({ autoClose: false }),
          { size, ...(signal && { signal }) },
        );
        seen?.set(child, version);
        result.files += 1;
        result.bytes += size;
      } finally {
        await handle.close();
      }
    }
  };
  await visit('');
  return result;
}
