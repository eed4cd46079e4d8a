import { StratusError } from './errors.js';

const GS_PREFIX = 'gs://';
const MAX_OBJECT_NAME_BYTES = 1024;
// eslint-disable-next-line no-control-regex -- control characters are exactly what we reject
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// C1 controls are illegal in XML 1.0, which GCS's XML API speaks.
const C1_CONTROLS = /[\u0080-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// A layer that percent-decodes names later (an HTTP route, a shell script) could turn these
// into traversal or control characters, so the API refuses them up front (400 naming the
// field), as the storage layer does, rather than accept a job that can only fail later.
const RISKY_ESCAPE = /%(?:2e|2f|5c|[01][0-9a-f]|7f)/i;

/**
 * GCS bucket naming rules: 3–63 characters of lowercase letters, digits, `-`,
 * `_` and `.`, starting and ending with a letter or digit; dotted names may be
 * up to 222 characters with each dot-separated part 1–63; not an IPv4 address;
 * not starting with `goog` nor containing `google`.
 */
export const bucketNameProblem = (name: string): string | undefined => {
  if (name.length < 3) return 'bucket name must be at least 3 characters';
  const maxLength = name.includes('.') ? 222 : 63;
  if (name.length > maxLength) return `bucket name must be at most ${maxLength} characters`;
  if (!/^[a-z0-9._-]+$/.test(name)) {
    return 'bucket name may contain only lowercase letters, digits, "-", "_" and "."';
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return 'bucket name must start and end with a letter or digit';
  }
  if (name.split('.').some((part) => part.length === 0 || part.length > 63)) {
    return 'each dot-separated part of a bucket name must be 1–63 characters';
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'bucket name must not be an IP address';
  if (name.startsWith('goog') || name.includes('google')) {
    return 'bucket name must not start with "goog" or contain "google"';
  }
  return undefined;
};

/** Whether `name` is a valid GCS bucket name. */
export const isValidBucketName = (name: string): boolean => bucketNameProblem(name) === undefined;

export interface GcsUriOptions {
  /** Whether `gs://bucket` or `gs://bucket/` (no object path) is an error. @defaultValue false */
  readonly requireObjectPath?: boolean;
}

/**
 * What is wrong with a `gs://<bucket>/<path>` URI, or undefined when it is
 * fine. One trailing `/` is allowed (a directory); empty, `.` and `..`
 * segments, backslashes, control characters, unpaired surrogates and
 * percent-encoded `.`, `/`, `\` or controls are not, so no URI can escape its
 * bucket on a local-directory backend, even through a later decoding step.
 */
export const checkGcsUri = (uri: string, options: GcsUriOptions = {}): string | undefined => {
  if (!uri.startsWith(GS_PREFIX)) return 'must start with gs://';
  if (CONTROL_CHARS.test(uri) || C1_CONTROLS.test(uri)) {
    return 'must not contain control characters';
  }
  if (LONE_SURROGATE.test(uri)) return 'must be valid Unicode (found an unpaired surrogate)';
  if (uri.includes('\\')) return 'must not contain a backslash';
  const rest = uri.slice(GS_PREFIX.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (bucket.length === 0) return 'is missing the bucket name';
  const bucketProblem = bucketNameProblem(bucket);
  if (bucketProblem !== undefined) return `${bucketProblem} (got "${bucket}")`;
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  if (path.startsWith('/')) return 'must not contain empty path segments ("//")';
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed.length === 0) {
    return options.requireObjectPath === true ? 'must name an object after the bucket' : undefined;
  }
  // TextEncoder, not Buffer: the dashboard runs these checks in the browser.
  if (new TextEncoder().encode(trimmed).length > MAX_OBJECT_NAME_BYTES) {
    return `object path must be at most ${MAX_OBJECT_NAME_BYTES} bytes`;
  }
  for (const segment of trimmed.split('/')) {
    if (segment === '') return 'must not contain empty path segments ("//")';
    if (segment === '.' || segment === '..') return `must not contain "${segment}" path segments`;
  }
  if (RISKY_ESCAPE.test(trimmed)) {
    return 'object name must not contain percent-encoded ".", "/", "\\" or control characters';
  }
  return undefined;
};

export interface GcsUri {
  readonly bucket: string;
  /** Object path or prefix without the leading `/`; `''` for the bucket root. */
  readonly path: string;
}

/** Split a `gs://` URI into bucket and path; throws INVALID_STORAGE_URI naming the problem. */
export const parseGcsUri = (uri: string, options: GcsUriOptions = {}): GcsUri => {
  const problem = checkGcsUri(uri, options);
  if (problem !== undefined)
    throw new StratusError('INVALID_STORAGE_URI', { uri, detail: problem });
  const rest = uri.slice(GS_PREFIX.length);
  const slash = rest.indexOf('/');
  return slash === -1
    ? { bucket: rest, path: '' }
    : { bucket: rest.slice(0, slash), path: rest.slice(slash + 1) };
};

/** Join a `gs://` URI and relative path segments with single slashes. */
export const joinGcsUri = (base: string, ...segments: readonly string[]): string =>
  [base.replace(/\/+$/, ''), ...segments.map((s) => s.replace(/^\/+|\/+$/g, ''))]
    .filter((s) => s.length > 0)
    .join('/');
