import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from '@stratus/storage';

export interface UploadResult {
  readonly files: number;
  readonly bytes: number;
  /** Entries that were not regular files (links, sockets), relative paths. */
  readonly skipped: readonly string[];
}

/**
 * Copies every regular file under `dir` to `prefixUri/<relative path>`. Symlinks are skipped,
 * never followed: the directory was written by untrusted trainer code, and a link to a file
 * outside it must not be uploaded.
 */
export async function uploadDirectory(
  storage: Storage,
  dir: string,
  prefixUri: string,
  signal?: AbortSignal,
): Promise<UploadResult> {
  const prefix = prefixUri.replace(/\/+$/, '');
  const result = { files: 0, bytes: 0, skipped: [] as string[] };
  const visit = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const file = path.join(dir, child);
      const stat = await lstat(file);
      if (stat.isDirectory()) await visit(child);
      else if (stat.isFile()) {
        await storage.writeStream(`${prefix}/${child}`, createReadStream(file), {
          size: stat.size,
          ...(signal && { signal }),
        });
        result.files += 1;
        result.bytes += stat.size;
      } else result.skipped.push(child);
    }
  };
  await visit('');
  return result;
}
