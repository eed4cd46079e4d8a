import { join, resolve, sep } from 'node:path';
import { StratusError } from '@stratus/spec';

/** Most local filesystems refuse a path segment longer than this many bytes. */
export const MAX_SEGMENT_BYTES = 255;

/** Where a local storage root keeps things. */
export interface LocalLayout {
  /** `$STRATUS_HOME/buckets`: one directory per bucket. */
  readonly root: string;
  /** Temp files for atomic writes; bucket names cannot start with `.`, so no bucket collides. */
  readonly tmpDir: string;
}

/** Resolve the layout under `root` (made absolute). */
export const localLayout = (root: string): LocalLayout => {
  const absolute = resolve(root);
  return { root: absolute, tmpDir: join(absolute, '.tmp') };
};

/** The directory holding a bucket's objects. */
export const bucketDir = (layout: LocalLayout, bucket: string): string => join(layout.root, bucket);

/**
 * The file holding object `name`. `name` has been validated already; resolving
 * and checking containment again is defence in depth against a validator bug.
 */
export const objectPath = (layout: LocalLayout, bucket: string, name: string): string => {
  const dir = bucketDir(layout, bucket);
  const segments = name.split('/');
  const long = segments.find((segment) => Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES);
  if (long !== undefined) {
    throw new StratusError('INVALID_STORAGE_URI', {
      uri: `gs://${bucket}/${name}`,
      detail: `the local backend cannot store a path segment over ${MAX_SEGMENT_BYTES} bytes ("${long.slice(0, 20)}…")`,
    });
  }
  const file = resolve(dir, ...segments);
  // Inside the bucket, and exactly the naive join: no segment was dropped or
  // collapsed, so no name can alias another object's file either.
  if (!file.startsWith(dir + sep) || file !== dir + sep + segments.join(sep)) {
    throw new StratusError('INVALID_STORAGE_URI', {
      uri: `gs://${bucket}/${name}`,
      detail: 'resolves outside its bucket directory or onto another name',
    });
  }
  return file;
};

/** The object name (with `/` separators) of a file path inside a bucket directory. */
export const nameOfPath = (dir: string, file: string): string =>
  file
    .slice(dir.length + 1)
    .split(sep)
    .join('/');
