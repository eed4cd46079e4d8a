import type { BigIntStats } from 'node:fs';
import type { ObjectStat } from './types.js';
import { formatStorageUri } from './uri.js';

let lastGeneration = 0;

/**
 * A fresh generation in microseconds since the epoch (GCS uses the same unit),
 * strictly increasing within this process. It is stored as the file's mtime,
 * so every process reading the bucket sees the same value.
 */
export const nextGeneration = (): number => {
  const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastGeneration = Math.max(now, lastGeneration + 1);
  return lastGeneration;
};

/** mtime in seconds, as `utimes` takes it, for a generation. */
export const mtimeOfGeneration = (generation: number): number => generation / 1e6;

/** Metadata of a local object from its file's stats. */
export const localObjectStat = (bucket: string, name: string, stats: BigIntStats): ObjectStat => {
  // utimes goes through a double, so round to the microsecond the writer chose.
  const generation = (stats.mtimeNs + 500n) / 1000n;
  return {
    uri: formatStorageUri(bucket, name),
    bucket,
    name,
    size: Number(stats.size),
    // Inode, size and mtime together change on every write, even one restoring old bytes.
    etag: `${stats.ino.toString(36)}-${stats.size.toString(36)}-${generation.toString(36)}`,
    generation: generation.toString(),
    updated: new Date(Number(stats.mtimeNs / 1_000_000n)),
  };
};
