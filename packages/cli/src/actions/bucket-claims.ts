import type { Bucket, UriAccess } from '@stratus/spec';
import type { CommandContext } from '../context.js';

/** A bucket `storage cp` touches and what it does there. */
export interface BucketUse {
  readonly bucket: string;
  readonly access: UriAccess;
}

/** The bucket of a `gs://bucket/…` location (the storage layer validates the rest). */
export const bucketOf = (uri: string): string => uri.slice('gs://'.length).split('/', 1)[0] ?? '';

const enough = (bucket: Bucket | undefined, access: UriAccess): boolean =>
  bucket !== undefined && (bucket.role !== 'READER' || access === 'read');

const unreachable = (error: unknown): boolean =>
  error instanceof Error && (error as { reason?: unknown }).reason === 'CONNECTION_FAILED';

/**
 * Make sure the CLI's project may use each bucket before the CLI copies
 * through storage: a bucket it owns or was granted (WRITER for writes)
 * passes; any other is claimed through the API, which refuses (403
 * PERMISSION_DENIED, thrown) one that belongs to another project. When no
 * API server answers, the copy may go ahead unclaimed (the offline `local`
 * workflow): the returned note says so, and the first job or version that
 * names the bucket claims it.
 */
export const ensureBucketAccess = async (
  ctx: CommandContext,
  uses: readonly BucketUse[],
): Promise<string | undefined> => {
  if (uses.length === 0) return undefined;
  const client = await ctx.session.client();
  let known: Map<string, Bucket>;
  try {
    known = new Map((await client.buckets.list()).buckets.map((b) => [b.name, b]));
  } catch (error) {
    if (!unreachable(error)) throw error;
    const { apiUrl } = await ctx.session.cliConfig();
    const names = [...new Set(uses.map((use) => `gs://${use.bucket}`))].join(', ');
    return `No Stratus API answered at ${apiUrl}, so ${names} is not claimed for project ${client.project}.`;
  }
  const claimed = new Set<string>();
  for (const { bucket, access } of uses) {
    if (enough(known.get(bucket), access) || claimed.has(bucket)) continue;
    await client.buckets.claim(bucket);
    claimed.add(bucket);
  }
  return undefined;
};
