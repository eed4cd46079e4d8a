import { describe, expect, it } from 'vitest';
import { thrown } from './errors.test-support.js';
import { checkGcsUri, isValidBucketName, joinGcsUri, parseGcsUri } from './gcs-uri.js';

describe('checkGcsUri', () => {
  it.each([
    'gs://demo/data/iris.csv',
    'gs://demo/jobs/x/',
    'gs://my_bucket-1.example.com/a b/ü.csv',
    'gs://abc',
    'gs://abc/',
  ])('accepts %s', (uri) => {
    expect(checkGcsUri(uri)).toBeUndefined();
  });

  it.each([
    ['s3://demo/x', 'must start with gs://'],
    ['gs:/demo/x', 'must start with gs://'],
    ['gs:///x', 'is missing the bucket name'],
    ['gs://ab/x', 'bucket name must be at least 3 characters (got "ab")'],
    [`gs://${'a'.repeat(64)}/x`, 'bucket name must be at most 63 characters'],
    ['gs://Demo/x', 'may contain only lowercase letters'],
    ['gs://-demo/x', 'must start and end with a letter or digit'],
    ['gs://demo./x', 'must start and end with a letter or digit'],
    ['gs://de..mo/x', 'each dot-separated part'],
    ['gs://192.168.0.1/x', 'must not be an IP address'],
    ['gs://google-data/x', 'must not start with "goog" or contain "google"'],
    ['gs://demo/a/../b', 'must not contain ".." path segments'],
    ['gs://demo/..', 'must not contain ".." path segments'],
    ['gs://demo/./a', 'must not contain "." path segments'],
    ['gs://demo/a//b', 'must not contain empty path segments'],
    ['gs://demo//', 'must not contain empty path segments'],
    ['gs://demo/a\\b', 'must not contain a backslash'],
    ['gs://demo/a\u0000b', 'must not contain control characters'],
    ['gs://demo/a\nb', 'must not contain control characters'],
    [`gs://demo/${'x'.repeat(1025)}`, 'object path must be at most 1024 bytes'],
    // Issue 10 (fuzz/security): these passed the API and could only fail later in storage.
    ['gs://demo/%2e%2e/x', 'must not contain percent-encoded'],
    ['gs://demo/jobs/%2E%2E%2Fx/', 'must not contain percent-encoded'],
    ['gs://demo/a%2fb', 'must not contain percent-encoded'],
    ['gs://demo/a%5c..%5cb', 'must not contain percent-encoded'],
    ['gs://demo/a%00b', 'must not contain percent-encoded'],
    ['gs://demo/a\u0085b', 'must not contain control characters'],
    ['gs://demo/a\ud800b', 'must be valid Unicode (found an unpaired surrogate)'],
  ])('rejects %s', (uri, problem) => {
    expect(checkGcsUri(uri)).toContain(problem);
  });

  it('can require an object path', () => {
    expect(checkGcsUri('gs://demo/', { requireObjectPath: true })).toBe(
      'must name an object after the bucket',
    );
    expect(checkGcsUri('gs://demo/x', { requireObjectPath: true })).toBeUndefined();
  });

  it('checks bucket names alone', () => {
    expect(isValidBucketName('demo')).toBe(true);
    expect(isValidBucketName(`${'a'.repeat(63)}.${'b'.repeat(63)}`)).toBe(true);
    expect(isValidBucketName('a_b')).toBe(true);
    expect(isValidBucketName('a')).toBe(false);
    expect(isValidBucketName('a/b')).toBe(false);
  });

  it('parses and joins', () => {
    expect(parseGcsUri('gs://demo/jobs/x/')).toEqual({ bucket: 'demo', path: 'jobs/x/' });
    expect(parseGcsUri('gs://demo')).toEqual({ bucket: 'demo', path: '' });
    expect(joinGcsUri('gs://demo/jobs/x/', '7', 'model/')).toBe('gs://demo/jobs/x/7/model');
    const err = thrown(() => parseGcsUri('gs://demo/../x'));
    expect(err.reason).toBe('INVALID_STORAGE_URI');
    expect(err.message).toBe(
      'Invalid storage URI "gs://demo/../x": must not contain ".." path segments',
    );
  });
});
