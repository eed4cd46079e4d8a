import { StratusError, checkGcsUri } from '@stratus/spec';

/** An object's bucket and name, parsed from `gs://bucket/name`. */
export interface ObjectLocation {
  readonly bucket: string;
  /** Object name inside the bucket: no leading or trailing `/`. */
  readonly name: string;
}

/** A listing location: every object whose name starts with `prefix`. */
export interface PrefixLocation {
  readonly bucket: string;
  /** `''` for the whole bucket; otherwise a name prefix, often ending in `/`. */
  readonly prefix: string;
}

const GS_PREFIX = 'gs://';

// C1 controls (U+0080–U+009F) are illegal in XML 1.0, which GCS's XML API speaks;
// the C0 range and DEL are already refused by checkGcsUri.
const C1_CONTROLS = /[\u0080-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// A layer that percent-decodes names later (an HTTP route, a shell script) could turn
// these into traversal or control characters, so they are refused rather than stored.
const RISKY_ESCAPE = /%(?:2e|2f|5c|[01][0-9a-f]|7f)/i;

const splitUri = (uri: string): { bucket: string; path: string } => {
  const rest = uri.slice(GS_PREFIX.length);
  const slash = rest.indexOf('/');
  return slash === -1
    ? { bucket: rest, path: '' }
    : { bucket: rest.slice(0, slash), path: rest.slice(slash + 1) };
};

const problemOf = (uri: unknown, kind: 'object' | 'prefix'): string | undefined => {
  if (typeof uri !== 'string') return 'must be a string';
  if (LONE_SURROGATE.test(uri)) return 'must be valid Unicode (found an unpaired surrogate)';
  if (C1_CONTROLS.test(uri)) return 'must not contain control characters';
  if (uri.startsWith(GS_PREFIX) && splitUri(uri).path.startsWith('/')) {
    return 'object name must not start with "/" (absolute paths are not allowed)';
  }
  const base = checkGcsUri(uri, { requireObjectPath: kind === 'object' });
  if (base !== undefined) return base;
  const { path } = splitUri(uri);
  if (kind === 'object' && path.endsWith('/')) return 'object name must not end with "/"';
  if (RISKY_ESCAPE.test(path)) {
    return 'object name must not contain percent-encoded ".", "/", "\\" or control characters';
  }
  return undefined;
};

const fail = (uri: unknown, detail: string): StratusError =>
  new StratusError('INVALID_STORAGE_URI', { uri: String(uri), detail });

/**
 * Parse `gs://bucket/name` naming one object; throws INVALID_STORAGE_URI naming
 * the problem (bad bucket, `..`/`.`/empty segments, absolute or backslash paths,
 * control characters, names over 1024 bytes, percent-encoded traversal).
 */
export const parseStorageUri = (uri: string): ObjectLocation => {
  const problem = problemOf(uri, 'object');
  if (problem !== undefined) throw fail(uri, problem);
  const { bucket, path } = splitUri(uri);
  return { bucket, name: path };
};

/** Parse `gs://bucket`, `gs://bucket/` or `gs://bucket/some/prefix` for listing. */
export const parseStoragePrefixUri = (uri: string): PrefixLocation => {
  const problem = problemOf(uri, 'prefix');
  if (problem !== undefined) throw fail(uri, problem);
  const { bucket, path } = splitUri(uri);
  return { bucket, prefix: path };
};

/** Build `gs://bucket/name` (name may be `''` or end in `/` for a prefix); validates the result. */
export const formatStorageUri = (bucket: string, name: string): string => {
  const uri = `${GS_PREFIX}${bucket}/${name}`;
  parseStoragePrefixUri(uri);
  return uri;
};
