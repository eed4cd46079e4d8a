import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ObjectStat, Storage } from '@stratus/storage';
import type { CliIo, OutputStream } from '../io.js';
import { createProgressBar } from '../output/progress-bar.js';

/** Where a transfer may draw its progress bar (none without `stderr`), and what cancels it. */
export interface TransferView {
  readonly stderr?: OutputStream;
  readonly signal?: AbortSignal;
}

/** The view of a command: a bar on its stderr unless `--quiet`, cancelled by Ctrl-C. */
export const transferView = (io: CliIo, quiet: boolean): TransferView => ({
  ...(quiet ? {} : { stderr: io.stderr }),
  ...(io.signal === undefined ? {} : { signal: io.signal }),
});

const bar = (view: TransferView, label: string, size: number | undefined) =>
  createProgressBar(view.stderr ?? {}, label, size);

/** Upload a local file to `uri`, with a progress bar for large files. */
export const uploadFile = async (
  storage: Storage,
  file: string,
  uri: string,
  view: TransferView,
): Promise<ObjectStat> => {
  const { size } = await stat(file);
  const progress = bar(view, uri, size);
  try {
    return await storage.writeStream(uri, createReadStream(file), {
      size,
      onProgress: ({ bytes }) => progress.update(bytes, size),
      ...(view.signal === undefined ? {} : { signal: view.signal }),
    });
  } finally {
    progress.done();
  }
};

/** Download `uri` to a local file (written beside it, then renamed into place). */
export const downloadFile = async (
  storage: Storage,
  uri: string,
  file: string,
  view: TransferView,
  size?: number,
): Promise<number> => {
  await mkdir(dirname(file), { recursive: true });
  const part = `${file}.stratus-part`;
  const progress = bar(view, uri, size);
  let bytes = 0;
  try {
    const source = storage.createReadStream(uri, {
      onProgress: (p) => {
        bytes = p.bytes;
        progress.update(p.bytes, p.total);
      },
      ...(view.signal === undefined ? {} : { signal: view.signal }),
    });
    await pipeline(source, createWriteStream(part));
    await rename(part, file);
    return bytes;
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  } finally {
    progress.done();
  }
};
