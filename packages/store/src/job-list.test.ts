import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobState } from '@stratus/spec';
import { jobInput, openTestStore } from '../../../tests/support/test-store.js';

const t = openTestStore();
const { store } = t;
afterAll(() => t.close());

const TOTAL = 10_000;
const id = (n: number): string => `job_${String(n).padStart(5, '0')}`;
/** Job n: team a/b/c by n % 3; RUNNING when n % 10 === 0. */
const team = (n: number): string => ['a', 'b', 'c'][n % 3] ?? 'a';

/** Count the Redis commands a call sends, by wrapping the connection's sendCommand. */
const countCommands = async <T>(
  call: () => Promise<T>,
): Promise<{ result: T; commands: number }> => {
  const original = t.redis.sendCommand.bind(t.redis);
  let commands = 0;
  t.redis.sendCommand = ((...args: Parameters<typeof original>) => {
    commands += 1;
    return original(...args);
  }) as typeof t.redis.sendCommand;
  try {
    return { result: await call(), commands };
  } finally {
    t.redis.sendCommand = original;
  }
};

beforeAll(async () => {
  const started = performance.now();
  // Issued without awaiting each: ioredis writes them back to back (pipelined on the wire).
  await Promise.all(
    Array.from({ length: TOTAL }, (_, n) =>
      store.jobs.create('big', jobInput(id(n), { labels: { team: team(n), kind: 'x' } })),
    ),
  );
  const running = Array.from({ length: TOTAL / 10 }, (_, k) => id(k * 10));
  await Promise.all(
    running.map((jobId) =>
      store.jobs.transition('big', jobId, { from: ['QUEUED'], to: 'PREPARING' }),
    ),
  );
  await Promise.all(
    running.map((jobId) =>
      store.jobs.transition('big', jobId, { from: ['PREPARING'], to: 'RUNNING' }),
    ),
  );
  console.log(`created ${TOTAL} jobs in ${Math.round(performance.now() - started)} ms`);
}, 120_000);

describe('listing 10,000 jobs', () => {
  it('pages newest first through every job exactly once', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await store.jobs.listIds('big', { pageSize: 100, pageToken });
      seen.push(...page.jobIds);
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken !== undefined);
    expect(pages).toBe(100);
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, n) => id(TOTAL - 1 - n)));
  });

  it('costs the same at page 1 and page 99: examined entries and Redis commands', async () => {
    const figures: { page: number; examined: number; commands: number; ms: number }[] = [];
    let pageToken: string | undefined;
    for (let page = 1; page <= 100; page += 1) {
      // Timed for the printed figures only: the assertions count entries examined and commands.
      const started = performance.now();
      const { result, commands } = await countCommands(() =>
        store.jobs.list('big', { pageSize: 100, pageToken }),
      );
      const ms = performance.now() - started;
      const ids = await store.jobs.listIds('big', { pageSize: 100, pageToken });
      expect(result.jobs.map((job) => job.jobId)).toEqual(ids.jobIds);
      if (page === 1 || page === 99) figures.push({ page, examined: ids.examined, commands, ms });
      pageToken = result.nextPageToken;
    }
    expect(pageToken).toBeUndefined();
    console.log(JSON.stringify(figures));
    const [first, late] = figures;
    // One list script + 100 × (HGETALL + ZRANGE) in one pipeline; no trial reads (no tuning jobs).
    expect(first).toMatchObject({ examined: 100, commands: 201 });
    expect(late).toMatchObject({ examined: 100, commands: 201 });
  });

  it('filters by state and by label, each in O(page)', async () => {
    const running = await store.jobs.list('big', { filter: 'state=RUNNING', pageSize: 5 });
    expect(running.jobs.map((job) => [job.jobId, job.state])).toEqual(
      [9990, 9980, 9970, 9960, 9950].map((n) => [id(n), 'RUNNING']),
    );
    const second = await store.jobs.listIds('big', {
      filter: 'state=RUNNING',
      pageSize: 5,
      pageToken: running.nextPageToken,
    });
    expect(second.jobIds).toEqual([9940, 9930, 9920, 9910, 9900].map(id));
    expect(second.examined).toBe(5);
    const teamB = await store.jobs.listIds('big', { filter: 'labels.team=b', pageSize: 3 });
    expect(teamB).toMatchObject({ jobIds: [9997, 9994, 9991].map(id), examined: 3 });
  });

  it('combines conditions with AND, walking the smallest index', async () => {
    const all: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await store.jobs.listIds('big', {
        filter: 'state=RUNNING AND labels.team="b" labels.kind:x',
        pageSize: 100,
        pageToken,
      });
      all.push(...page.jobIds);
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    const expected = Array.from({ length: TOTAL }, (_, n) => TOTAL - 1 - n)
      .filter((n) => n % 10 === 0 && team(n) === 'b')
      .map(id);
    expect(all).toEqual(expected);
    expect(all).toHaveLength(333);
  });

  it('evaluates any other filter by walking the jobs newest first (the docs example)', async () => {
    const first = await store.jobs.listIds('big', { filter: 'jobId:job_0999* AND state:RUNNING' });
    // The page is not full, so the walk goes on to the scan budget (5,000 entries) and stops there.
    expect(first).toMatchObject({ jobIds: [id(9990)], examined: 5000 });
    const rest = await store.jobs.listIds('big', {
      filter: 'jobId:job_0999* AND state:RUNNING',
      pageToken: first.nextPageToken,
    });
    expect(rest).toEqual({ jobIds: [], examined: 5000 });
  });

  it('continues a walk past the scan budget with short pages and tokens', async () => {
    const filter = 'jobId:job_000* state:RUNNING';
    const pages: { jobIds: string[]; examined: number; more: boolean }[] = [];
    let pageToken: string | undefined;
    do {
      const page = await store.jobs.listIds('big', { filter, pageSize: 5, pageToken });
      pages.push({
        jobIds: page.jobIds,
        examined: page.examined,
        more: page.nextPageToken !== undefined,
      });
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    expect(pages).toEqual([
      { jobIds: [], examined: 5000, more: true },
      { jobIds: [90, 80, 70, 60, 50].map(id), examined: 4950, more: true },
      { jobIds: [40, 30, 20, 10, 0].map(id), examined: 50, more: false },
    ]);
  });

  it('combines OR, NOT and parentheses, returning the jobs it read', async () => {
    const filter = '(labels.team=a OR labels.team=b) AND NOT state=QUEUED';
    const { result, commands } = await countCommands(() =>
      store.jobs.list('big', { filter, pageSize: 4 }),
    );
    expect(result.jobs.map((job) => [job.jobId, job.labels?.team, job.state])).toEqual([
      [id(9990), 'a', 'RUNNING'],
      [id(9970), 'b', 'RUNNING'],
      [id(9960), 'a', 'RUNNING'],
      [id(9940), 'b', 'RUNNING'],
    ]);
    // Chunks of 4 (what the page needs), 20 and 40 entries (9999…9936): 3 × ZREVRANGEBYSCORE
    // and 64 × (HGETALL + ZRANGE); the page's jobs are not read a second time.
    expect(commands).toBe(131);
    // A filter every job matches reads just the page: 1 ZREVRANGEBYSCORE and 5 × 2.
    const all = await countCommands(() =>
      store.jobs.list('big', { filter: 'jobId:job*', pageSize: 5 }),
    );
    expect([all.result.jobs.length, all.commands]).toEqual([5, 11]);
    const next = await store.jobs.listIds('big', {
      filter,
      pageSize: 2,
      pageToken: result.nextPageToken,
    });
    expect(next.jobIds).toEqual([id(9930), id(9910)]);
  });

  it('keeps paging stable while jobs change state between pages', async () => {
    const first = await store.jobs.listIds('big', { filter: 'state=QUEUED', pageSize: 2 });
    expect(first.jobIds).toEqual([id(9999), id(9998)]);
    await store.jobs.transition('big', id(9998), { from: ['QUEUED'], to: 'CANCELLING' });
    await store.jobs.transition('big', id(9997), { from: ['QUEUED'], to: 'CANCELLING' });
    const next = await store.jobs.listIds('big', {
      filter: 'state=QUEUED',
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(next.jobIds).toEqual([id(9996), id(9995)]);
    const counts = await store.jobs.countByState('big');
    expect(counts).toMatchObject({ QUEUED: 8998, RUNNING: 1000, CANCELLING: 2 });
    const states: JobState[] = ['CANCELLING'];
    await Promise.all(
      [id(9998), id(9997)].map((jobId) =>
        store.jobs.transition('big', jobId, { from: states, to: 'CANCELLED' }),
      ),
    );
  });

  it('returns a short page with a token when a sparse AND filter exhausts the scan budget', async () => {
    const limited = openTestStore({ limits: { listScanBudget: 50 } });
    try {
      // even=y on the 60 even jobs; odd=y on the 60 odd ones plus 0 and 2: they meet at 2 and 0 only.
      await Promise.all(
        Array.from({ length: 120 }, (_, n) => {
          const labels: Record<string, string> = n % 2 === 0 ? { even: 'y' } : { odd: 'y' };
          if (n === 0 || n === 2) labels.odd = 'y';
          return limited.store.jobs.create('p', jobInput(id(n), { labels }));
        }),
      );
      const filter = 'labels.even=y AND labels.odd=y';
      const first = await limited.store.jobs.listIds('p', { filter, pageSize: 10 });
      expect(first).toMatchObject({ jobIds: [], examined: 50 });
      expect(first.nextPageToken).toBeDefined();
      const second = await limited.store.jobs.listIds('p', {
        filter,
        pageSize: 10,
        pageToken: first.nextPageToken,
      });
      expect(second).toEqual({ jobIds: [id(2), id(0)], examined: 10 });
      // The smaller index drives: 62 odd=y jobs against 120 QUEUED ones.
      expect(
        await limited.store.jobs.listIds('p', {
          filter: 'state=QUEUED labels.odd=y',
          pageSize: 100,
        }),
      ).toMatchObject({ examined: 62 });
      expect(
        await limited.store.jobs.listIds('p', { filter: 'labels.odd=y state=FAILED' }),
      ).toEqual({
        jobIds: [],
        examined: 0,
      });
    } finally {
      await limited.close();
    }
  });

  it('compares createTime as an instant', async () => {
    let hour = 0;
    const timed = openTestStore({ now: () => new Date(Date.UTC(2024, 4, 1, hour++)) });
    try {
      for (let n = 0; n < 6; n += 1) {
        await timed.store.jobs.create(
          'p',
          jobInput(id(n), n % 2 === 0 ? { labels: { even: 'y' } } : {}),
        );
      }
      const ids = async (filter: string): Promise<string[]> =>
        (await timed.store.jobs.listIds('p', { filter })).jobIds;
      expect(
        await ids('createTime>="2024-05-01T02:00:00Z" AND createTime<2024-05-01T07:00:00+02:00'),
      ).toEqual([id(4), id(3), id(2)]);
      expect(await ids('createTime<2024-05-01T01:00:00Z OR -labels:even')).toEqual([
        id(5),
        id(3),
        id(1),
        id(0),
      ]);
    } finally {
      await timed.close();
    }
  });

  it('rejects bad filters, page sizes and tokens naming the field', async () => {
    await expect(store.jobs.list('big', { filter: 'owner=me' })).rejects.toMatchObject({
      reason: 'INVALID_ARGUMENT',
      message:
        'filter: unknown field "owner" at position 1; filterable fields: jobId, state, createTime, labels.<key>',
      violations: [{ field: 'filter' }],
    });
    await expect(store.jobs.list('big', { filter: 'state=DONE' })).rejects.toMatchObject({
      message: expect.stringContaining('filter: state "DONE" at position 7 is not one of QUEUED'),
    });
    await expect(store.jobs.list('big', { filter: 'state=RUNNING OR' })).rejects.toMatchObject({
      message: 'filter: expected a field, found end of filter at position 17',
    });
    await expect(store.jobs.list('big', { pageSize: 0 })).rejects.toMatchObject({
      violations: [{ field: 'pageSize' }],
    });
    await expect(store.jobs.list('big', { pageSize: 101 })).rejects.toMatchObject({
      message: 'pageSize must be an integer from 1 to 100',
      violations: [{ field: 'pageSize', description: 'must be 1-100' }],
    });
    await expect(store.jobs.list('big', { pageToken: 'garbage' })).rejects.toMatchObject({
      violations: [{ field: 'pageToken', description: 'is malformed' }],
    });
    const page = await store.jobs.listIds('big', { pageSize: 1 });
    await expect(
      store.jobs.list('big', { pageToken: page.nextPageToken, filter: 'state=RUNNING' }),
    ).rejects.toMatchObject({
      violations: [{ field: 'pageToken', description: 'belongs to another filter' }],
    });
    // Bound to the filter's meaning, not its spelling.
    const running = await store.jobs.listIds('big', { filter: 'state=RUNNING', pageSize: 1 });
    const next = await store.jobs.listIds('big', {
      filter: "  state = 'RUNNING' ",
      pageSize: 1,
      pageToken: running.nextPageToken,
    });
    expect(next.jobIds).toEqual([id(9980)]);
  });

  it('returns 20 jobs when no page size is asked, and at most 100', async () => {
    const page = await store.jobs.listIds('big');
    expect(page.jobIds).toEqual(Array.from({ length: 20 }, (_, k) => id(TOTAL - 1 - k)));
    // Unfiltered, the project's index answers in one script: no job is read for ids.
    const { result, commands } = await countCommands(() =>
      store.jobs.listIds('big', { pageSize: 100 }),
    );
    expect([result.jobIds.length, result.examined, commands]).toEqual([100, 100, 1]);
  });

  it('lists an empty project as no jobs and no token', async () => {
    expect(await store.jobs.list('empty')).toEqual({ jobs: [] });
  });
});
