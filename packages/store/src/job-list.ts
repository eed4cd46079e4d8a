import type { Job } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { scanFiltered } from './filtered-scan.js';
import { jobFilterRecord, parseJobFilter, type JobFilter } from './job-filter.js';
import { readJobs } from './jobs.js';
import { decodeListJobsReply, listJobsArgs } from './commands/job.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { checkPageSize } from './page-size.js';
import { asStrings } from './redis-util.js';

/** `pageSize`, `pageToken` and `filter` as the list route receives them. */
export interface ListJobsRequest {
  /** @defaultValue 20 (at most 100) */
  readonly pageSize?: number;
  readonly pageToken?: string;
  /** An AIP-160 filter, e.g. `jobId:rnn* AND state:FAILED` or `state=RUNNING labels.team=x`. */
  readonly filter?: string;
}

export interface ListJobIdsResult {
  readonly jobIds: string[];
  readonly nextPageToken?: string;
  /** Index entries the page examined (pageSize for an unfiltered or single-filter list). */
  readonly examined: number;
}

export interface ListJobsResult {
  readonly jobs: Job[];
  readonly nextPageToken?: string;
}

/** A job list score: what the cursor of a page token holds. */
const isScore = (cursor: string): boolean =>
  cursor.length >= 1 && cursor.length <= 17 && [...cursor].every((c) => c >= '0' && c <= '9');

interface JobPage {
  readonly jobIds: string[];
  /** The jobs themselves when the page had to read them to filter. */
  readonly jobs?: Job[];
  readonly examined: number;
  readonly nextCursor?: string;
}

/**
 * The index path: every condition is a state or label equality, so one
 * script walks the smallest of those indexes and probes the others.
 */
const indexedPage = async (
  ctx: StoreContext,
  project: string,
  indexed: NonNullable<JobFilter['indexed']>,
  cursor: string,
  pageSize: number,
): Promise<JobPage> => {
  const projectKeys = ctx.keys.project(project);
  const indexes = [
    ...indexed.states.map((state) => projectKeys.jobsInState(state)),
    ...indexed.labels.map(([key, value]) => projectKeys.jobsWithLabel(key, value)),
  ];
  if (indexes.length === 0) indexes.push(projectKeys.jobs);
  const page = decodeListJobsReply(
    await ctx.redis.stratusListJobs(
      listJobsArgs({
        indexes,
        args: { cursor, pageSize, scanBudget: Math.max(ctx.limits.listScanBudget, pageSize) },
      }),
    ),
  );
  const { nextCursor, ...rest } = page;
  return nextCursor === undefined ? rest : { ...rest, nextCursor };
};

/** The general path: walk all the project's jobs newest first, evaluating the filter on each. */
const scannedPage = async (
  ctx: StoreContext,
  project: string,
  filter: JobFilter,
  cursor: string,
  pageSize: number,
): Promise<JobPage> => {
  const key = ctx.keys.project(project).jobs;
  const page = await scanFiltered<Job>({
    pageSize,
    budget: Math.max(ctx.limits.listScanBudget, pageSize),
    after: cursor === '+inf' ? undefined : cursor,
    entries: async (after, count) => {
      const rows = asStrings(
        await ctx.redis.zrevrangebyscore(
          key,
          after === undefined ? '+inf' : `(${after}`,
          '-inf',
          'WITHSCORES',
          'LIMIT',
          0,
          count,
        ),
      );
      const entries = [];
      for (let i = 0; i + 1 < rows.length; i += 2) {
        entries.push({ id: rows[i] ?? '', cursor: rows[i + 1] ?? '' });
      }
      return entries;
    },
    read: async (ids) =>
      new Map((await readJobs(ctx, project, ids)).map((job) => [job.jobId, job])),
    matches: (job) => filter.filter.matches(jobFilterRecord(job)),
  });
  return {
    jobIds: page.records.map((job) => job.jobId),
    jobs: page.records,
    examined: page.examined,
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  };
};

const listJobPage = async (
  ctx: StoreContext,
  project: string,
  request: ListJobsRequest,
): Promise<JobPage & { nextPageToken?: string }> => {
  const pageSize = checkPageSize(request.pageSize);
  const filter = parseJobFilter(request.filter);
  const { normalized } = filter.filter;
  const cursor =
    request.pageToken === undefined || request.pageToken === ''
      ? '+inf'
      : decodePageToken(request.pageToken, normalized, isScore);
  const page =
    filter.indexed === undefined
      ? await scannedPage(ctx, project, filter, cursor, pageSize)
      : await indexedPage(ctx, project, filter.indexed, cursor, pageSize);
  return page.nextCursor === undefined
    ? page
    : { ...page, nextPageToken: encodePageToken(page.nextCursor, normalized) };
};

/**
 * One page of job ids, newest first. The cursor is a score (every index holds
 * a job under the same unique score), so a page costs O(log n + page)
 * wherever it starts. A filter of state and label equalities is answered by
 * their indexes in one round trip (the smallest walked, the others probed);
 * any other filter walks the project's jobs and evaluates it on each. Either
 * way a page may come back short after `listScanBudget` entries, with a token
 * to continue.
 */
export const listJobIds = async (
  ctx: StoreContext,
  project: string,
  request: ListJobsRequest = {},
): Promise<ListJobIdsResult> => {
  const page = await listJobPage(ctx, project, request);
  return {
    jobIds: page.jobIds,
    examined: page.examined,
    ...(page.nextPageToken === undefined ? {} : { nextPageToken: page.nextPageToken }),
  };
};

/** One page of jobs, newest first (`{jobs, nextPageToken}` of GET /v1/projects/{p}/jobs). */
export const listJobs = async (
  ctx: StoreContext,
  project: string,
  request: ListJobsRequest = {},
): Promise<ListJobsResult> => {
  const page = await listJobPage(ctx, project, request);
  const jobs = page.jobs ?? (await readJobs(ctx, project, page.jobIds));
  return page.nextPageToken === undefined ? { jobs } : { jobs, nextPageToken: page.nextPageToken };
};
