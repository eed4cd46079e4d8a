import type { FileMetadata } from '@google-cloud/storage';
import type { ObjectStat } from './types.js';
import { formatStorageUri } from './uri.js';

/** Our ObjectStat from a GCS object resource. */
export const gcsObjectStat = (bucket: string, name: string, meta: FileMetadata): ObjectStat => ({
  uri: formatStorageUri(bucket, name),
  bucket,
  name,
  size: Number(meta.size ?? 0),
  etag: meta.etag ?? '',
  generation: String(meta.generation ?? ''),
  updated: new Date(meta.updated ?? meta.timeCreated ?? 0),
  ...(meta.contentType === undefined ? {} : { contentType: meta.contentType }),
  ...(meta.md5Hash === undefined ? {} : { md5Hash: meta.md5Hash }),
});
