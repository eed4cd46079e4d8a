import type { Readable } from 'node:stream';

/** Metadata of one stored object. */
export interface ObjectStat {
  /** `gs://bucket/name` */
  readonly uri: string;
  readonly bucket: string;
  /** Object name inside the bucket (no leading slash). */
  readonly name: string;
  readonly size: number;
  /** Changes whenever the content changes; use it (or `generation`) as a cache key. */
  readonly etag: string;
  /** Monotonic version of the object, as a decimal string. */
  readonly generation: string;
  readonly updated: Date;
  /** Set by the gcs backend; the local backend stores no metadata beside the bytes. */
  readonly contentType?: string;
  /** Base64 MD5 of the content (gcs only). */
  readonly md5Hash?: string;
}

export interface ListOptions {
  /** Group names sharing a prefix up to this delimiter into `prefixes` (usually '/'). */
  readonly delimiter?: string;
  /** Objects plus prefixes per page; larger values are capped at 1000, as GCS does. @defaultValue 1000 */
  readonly pageSize?: number;
  /** `nextPageToken` of the previous page (opaque; the local backend uses the last name returned). */
  readonly pageToken?: string;
}

export interface ListPage {
  readonly objects: readonly ObjectStat[];
  /** With a delimiter: `gs://bucket/prefix/sub/` for each "directory". */
  readonly prefixes: readonly string[];
  /** Present when more results follow; pass it back as `pageToken`. */
  readonly nextPageToken?: string;
}

export interface Progress {
  readonly bytes: number;
  /** Known when reading, or when the caller passed `size` to a write. */
  readonly total?: number;
}

export interface TransferOptions {
  /** Called as bytes move; at most every 64 KiB or so. */
  readonly onProgress?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
}

export interface WriteOptions extends TransferOptions {
  /** Stored by the gcs backend; ignored by the local backend. */
  readonly contentType?: string;
  /** Expected size, for progress reporting only. */
  readonly size?: number;
}

export interface ReadOptions extends TransferOptions {
  /** First byte to read (inclusive). @defaultValue 0 */
  readonly start?: number;
  /**
   * Last byte to read (inclusive), clamped to the object; a range starting past
   * the end reads no bytes. @defaultValue the last byte
   */
  readonly end?: number;
}

/**
 * Object storage addressed by `gs://bucket/path` URIs. Every method validates
 * the URI before any I/O (see `parseStorageUri`), so no call can reach outside
 * a bucket. A reader never sees a half-written object.
 */
export interface Storage {
  readonly backend: 'local' | 'gcs';
  /** Read a whole object (or a byte range). */
  read(uri: string, options?: ReadOptions): Promise<Buffer>;
  /**
   * Stream an object (or a byte range). A malformed URI or range throws at once;
   * I/O errors (e.g. OBJECT_NOT_FOUND) surface on the stream.
   */
  createReadStream(uri: string, options?: ReadOptions): Readable;
  /** Write a whole object atomically. */
  write(uri: string, data: Uint8Array | string, options?: WriteOptions): Promise<ObjectStat>;
  /** Write an object from a stream; it becomes visible only once complete. */
  writeStream(
    uri: string,
    source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    options?: WriteOptions,
  ): Promise<ObjectStat>;
  /** One page of the objects whose names start with the URI's path. */
  list(prefixUri: string, options?: ListOptions): Promise<ListPage>;
  /** Every object under a prefix (no delimiter), paging as needed; a malformed URI throws at once. */
  listAll(prefixUri: string): AsyncIterable<ObjectStat>;
  /** Metadata; throws StratusError OBJECT_NOT_FOUND when absent. */
  stat(uri: string): Promise<ObjectStat>;
  exists(uri: string): Promise<boolean>;
  /** Delete an object; deleting a missing object throws OBJECT_NOT_FOUND. */
  delete(uri: string): Promise<void>;
  /** Copy an object (replacing the destination atomically); OBJECT_NOT_FOUND names a missing source. */
  copy(sourceUri: string, destinationUri: string): Promise<ObjectStat>;
  /** Release clients and handles. */
  close(): Promise<void>;
}
