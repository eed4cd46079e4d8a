import { fieldError, type Job } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { decodePageToken, encodePageToken, parseJobFilter } from './job-filter.js';
import { readJobs } from './jobs.js';
import { decodeListJobsReply, listJobsArgs } from './commands/job.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `pageSize`, `pageToken` and `filter` as the list route receives them. */
export interface ListJobsRequest {
  /** @defaultValue 100 (at most 1000) */
  readonly pageSize?: number;
  readonly pageToken?: string;
  /** e.g. `state=RUNNING AND labels.team=x` */
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

/**
 * One page of job ids, newest first, in one round trip. The cursor is a score
 * (every index holds a job under the same unique score), so a page costs
 * O(log n + page) wherever it starts. With several conditions the smallest
 * index is walked and the others probed per entry; a page may then come back
 * short after `listScanBudget` entries, with a token to continue.
 */
export const listJobIds = async (
  ctx: StoreContext,
  project: string,
  request: ListJobsRequest = {},
): Promise<ListJobIdsResult> => {
  const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw fieldError('INVALID_ARGUMENT', 'pageSize', `must be 1-${MAX_PAGE_SIZE}`, {
      detail: `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`,
    });
  }
  const filter = parseJobFilter(request.filter);
  const cursor =
    request.pageToken === undefined || request.pageToken === ''
      ? '+inf'
      : decodePageToken(request.pageToken, filter);
  const projectKeys = ctx.keys.project(project);
  const indexes = [
    ...filter.states.map((state) => projectKeys.jobsInState(state)),
    ...filter.labels.map(([key, value]) => projectKeys.jobsWithLabel(key, value)),
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
  return {
    jobIds: page.jobIds,
    examined: page.examined,
    ...(page.nextCursor === undefined
      ? {}
      : { nextPageToken: encodePageToken(page.nextCursor, filter) }),
  };
};

/** One page of jobs, newest first (`{jobs, nextPageToken}` of GET /v1/projects/{p}/jobs). */
export const listJobs = async (
  ctx: StoreContext,
  project: string,
  request: ListJobsRequest = {},
): Promise<ListJobsResult> => {
  const page = await listJobIds(ctx, project, request);
  const jobs = await readJobs(ctx, project, page.jobIds);
  return page.nextPageToken === undefined ? { jobs } : { jobs, nextPageToken: page.nextPageToken };
};
