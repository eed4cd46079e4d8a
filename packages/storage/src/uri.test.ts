import { describe, expect, it } from 'vitest';
import { isStratusError } from '@stratus/spec';
import { formatStorageUri, parseStoragePrefixUri, parseStorageUri } from './uri.js';

const rejection = (parse: () => unknown): { reason: string; message: string } => {
  try {
    parse();
  } catch (error) {
    if (isStratusError(error)) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected the URI to be rejected');
};

// [uri, fragment of the message that names the problem]
const BAD_OBJECT_URIS: ReadonlyArray<readonly [string, string]> = [
  ['', 'must start with gs://'],
  ['s3://bucket/x', 'must start with gs://'],
  ['gs:/bucket/x', 'must start with gs://'],
  ['GS://bucket/x', 'must start with gs://'],
  ['/etc/passwd', 'must start with gs://'],
  ['gs://', 'is missing the bucket name'],
  ['gs:///etc/passwd', 'is missing the bucket name'],
  ['gs://ab/x', 'at least 3 characters'],
  [`gs://${'a'.repeat(64)}/x`, 'at most 63 characters'],
  ['gs://My-Bucket/x', 'only lowercase letters, digits'],
  ['gs://buck et/x', 'only lowercase letters, digits'],
  ['gs://-bucket/x', 'start and end with a letter or digit'],
  ['gs://bucket_/x', 'start and end with a letter or digit'],
  ['gs://192.168.1.1/x', 'must not be an IP address'],
  ['gs://bu..cket/x', 'each dot-separated part'],
  ['gs://goog-data/x', 'must not start with "goog"'],
  ['gs://bucket', 'must name an object after the bucket'],
  ['gs://bucket/', 'must name an object after the bucket'],
  ['gs://bucket/..', 'must not contain ".." path segments'],
  ['gs://bucket/../etc/passwd', 'must not contain ".." path segments'],
  ['gs://bucket/a/../../x', 'must not contain ".." path segments'],
  ['gs://bucket/.', 'must not contain "." path segments'],
  ['gs://bucket/a/./b', 'must not contain "." path segments'],
  ['gs://bucket//etc/passwd', 'must not start with "/"'],
  ['gs://bucket/a//b', 'must not contain empty path segments'],
  ['gs://bucket/dir/', 'must not end with "/"'],
  ['gs://bucket/a\\..\\..\\x', 'must not contain a backslash'],
  ['gs://bucket\\x/y', 'must not contain a backslash'],
  ['gs://bucket/a\u0000b', 'must not contain control characters'],
  ['gs://bucket/a\nb', 'must not contain control characters'],
  ['gs://bucket/a\rb', 'must not contain control characters'],
  ['gs://bucket/a\tb', 'must not contain control characters'],
  ['gs://bucket/a\u007fb', 'must not contain control characters'],
  ['gs://bucket/a\u0085b', 'must not contain control characters'],
  ['gs://bucket/a\ud800b', 'unpaired surrogate'],
  [`gs://bucket/${'x'.repeat(1025)}`, 'at most 1024 bytes'],
  [`gs://bucket/${'é'.repeat(513)}`, 'at most 1024 bytes'],
  ['gs://bucket/%2e%2e/secret', 'percent-encoded'],
  ['gs://bucket/a/%2E%2E%2Fb', 'percent-encoded'],
  ['gs://bucket/a%2fb', 'percent-encoded'],
  ['gs://bucket/a%5c..%5cb', 'percent-encoded'],
  ['gs://bucket/a%00b', 'percent-encoded'],
];

describe('parseStorageUri', () => {
  it.each(BAD_OBJECT_URIS)('rejects %j naming the problem', (uri, fragment) => {
    const { reason, message } = rejection(() => parseStorageUri(uri));
    expect(reason).toBe('INVALID_STORAGE_URI');
    expect(message).toContain(fragment);
    expect(message).toContain(`Invalid storage URI "${uri}"`);
  });

  it.each([
    ['gs://my-bucket/a/b.txt', 'my-bucket', 'a/b.txt'],
    ['gs://b_1.example.com/x y/ü ✓.csv', 'b_1.example.com', 'x y/ü ✓.csv'],
    ['gs://abc/100%.csv', 'abc', '100%.csv'],
    ['gs://abc/a%20b', 'abc', 'a%20b'],
    ['gs://abc/a..b/c...d/.hidden', 'abc', 'a..b/c...d/.hidden'],
    ['gs://abc/😀/🚀', 'abc', '😀/🚀'],
    [`gs://abc/${'x'.repeat(1024)}`, 'abc', 'x'.repeat(1024)],
    [`gs://${'a'.repeat(63)}/x`, 'a'.repeat(63), 'x'],
  ])('accepts %j', (uri, bucket, name) => {
    expect(parseStorageUri(uri)).toEqual({ bucket, name });
  });
});

describe('parseStoragePrefixUri', () => {
  it.each([
    ['gs://abc', ''],
    ['gs://abc/', ''],
    ['gs://abc/data/', 'data/'],
    ['gs://abc/data/tr', 'data/tr'],
  ])('accepts %j', (uri, prefix) => {
    expect(parseStoragePrefixUri(uri)).toEqual({ bucket: 'abc', prefix });
  });

  it.each([
    ['gs://abc//', 'must not start with "/"'],
    ['gs://abc/a//', 'empty path segments'],
    ['gs://abc/../', '".." path segments'],
    ['gs://ABC/', 'lowercase'],
    ['file:///tmp/', 'must start with gs://'],
  ])('rejects %j', (uri, fragment) => {
    const { reason, message } = rejection(() => parseStoragePrefixUri(uri));
    expect(reason).toBe('INVALID_STORAGE_URI');
    expect(message).toContain(fragment);
  });
});

describe('formatStorageUri', () => {
  it('joins bucket and name, and round-trips through parse', () => {
    expect(formatStorageUri('abc', 'a/b.txt')).toBe('gs://abc/a/b.txt');
    expect(formatStorageUri('abc', 'dir/')).toBe('gs://abc/dir/');
    expect(formatStorageUri('abc', '')).toBe('gs://abc/');
    expect(parseStorageUri(formatStorageUri('abc', 'x y/ü'))).toEqual({
      bucket: 'abc',
      name: 'x y/ü',
    });
  });

  it('refuses to build an invalid URI', () => {
    expect(rejection(() => formatStorageUri('ABC', 'x')).message).toContain('lowercase');
    expect(rejection(() => formatStorageUri('abc', '../x')).message).toContain(
      '".." path segments',
    );
    expect(rejection(() => formatStorageUri('abc', '/x')).message).toContain(
      'must not start with "/"',
    );
  });
});
