/**
 * Property-based fuzzing of every route of the all-in-one app (the API with
 * the predictor plugin mounted): 10,000 generated and mutated requests with
 * a fixed fast-check seed. No request may get a 5xx, the app must still
 * answer /healthz, and a rejected write must leave the job, model and
 * versions it names exactly as they were. A failure prints fast-check's
 * seed and path plus the request, so `FUZZ_SEED=<seed>` reproduces it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '@stratus/spec';
import { openFuzzApp, type FuzzApp } from './support/fuzz-app.js';
import { isId, requestTo, type FuzzRequest } from './support/fuzz-requests.js';

const SEED_VALUE = Number(process.env.FUZZ_SEED ?? 20261128);
/** Total requests, split evenly over the route groups below. */
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** A request slower than this counts as hung. */
const HANG_MS = 10_000;

let f: FuzzApp;
beforeAll(async () => {
  f = await openFuzzApp();
}, 120_000);
afterAll(() => f?.close());

const tokenOf = (request: FuzzRequest): string | undefined => {
  switch (request.token) {
    case 'none':
      return undefined;
    case 'garbage':
      return 'stratus_not-a-real-token';
    default:
      return f.tokens[request.token];
  }
};

/** What a write names: the job, model and version in its path or body. */
const targets = (request: FuzzRequest) => {
  const project = request.params.project ?? f.project;
  const body = request.json;
  const named = (key: string): string | undefined => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const value = body[key];
    return isId(value) ? value : undefined;
  };
  const model =
    request.params.model ?? (request.route.endsWith('/models') ? named('name') : undefined);
  return {
    project,
    jobId: request.params.jobId ?? (request.route.endsWith('/jobs') ? named('jobId') : undefined),
    model,
  };
};

/** Version fields a predictor may not change on its own (state settles asynchronously). */
const settled = (version: Version) =>
  version.state === 'READY' || version.state === 'FAILED'
    ? {
        name: version.name,
        deploymentUri: version.deploymentUri,
        isDefault: version.isDefault,
        state: version.state,
      }
    : { name: version.name, unsettled: true };

const snapshot = async (target: ReturnType<typeof targets>): Promise<string> => {
  if (!isId(target.project) && target.project !== f.project) return 'no project';
  const read = async <T>(get: () => Promise<T>): Promise<T | string> => {
    try {
      return await get();
    } catch (error) {
      return `unreadable: ${(error as Error).message}`;
    }
  };
  const { project, jobId, model } = target;
  return JSON.stringify([
    isId(jobId) ? await read(() => f.store.jobs.find(project, jobId)) : null,
    isId(model) ? await read(() => f.store.models.find(project, model)) : null,
    isId(model)
      ? await read(async () => {
          if ((await f.store.models.find(project, model)) === undefined) return [];
          const versions = await f.store.versions.listAll(project, model);
          return versions.map(settled);
        })
      : null,
  ]);
};

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  rejectedWrites: number;
}
const tally: Tally = { requests: 0, byStatus: new Map(), rejectedWrites: 0 };

const describeRequest = (request: FuzzRequest): string =>
  JSON.stringify({
    method: request.method,
    url: request.url.length > 300 ? `${request.url.slice(0, 300)}…` : request.url,
    token: request.token,
    contentType: request.contentType,
    body:
      request.body !== undefined && request.body.length > 500
        ? `${request.body.slice(0, 500)}… (${request.body.length} chars)`
        : request.body,
  });

/** Send one request; fails (for fast-check to report) on a 5xx, a hang, or a change by a rejected write. */
const check = async (request: FuzzRequest): Promise<void> => {
  const write = request.method !== 'GET' && request.method !== 'HEAD';
  const target = write ? targets(request) : undefined;
  const before = target === undefined ? '' : await snapshot(target);
  const token = tokenOf(request);
  let timer: NodeJS.Timeout | undefined;
  const response = await Promise.race([
    f.inject(request.method, request.url, {
      ...(token === undefined ? {} : { token }),
      ...(request.body === undefined ? {} : { body: request.body }),
      ...(request.contentType === undefined ? {} : { contentType: request.contentType }),
    }),
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`hung for ${HANG_MS} ms`)), HANG_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  tally.requests += 1;
  tally.byStatus.set(response.statusCode, (tally.byStatus.get(response.statusCode) ?? 0) + 1);
  if (response.statusCode >= 500) {
    throw new Error(
      `${response.statusCode} for ${describeRequest(request)}: ${response.body.slice(0, 500)}`,
    );
  }
  if (target !== undefined && response.statusCode >= 400) {
    tally.rejectedWrites += 1;
    const after = await snapshot(target);
    if (after !== before) {
      throw new Error(
        `rejected ${response.statusCode} changed the store: ${describeRequest(request)}\nbefore ${before}\nafter  ${after}`,
      );
    }
  }
};

/** Route groups, so each `it` stays short; every route of the app is in exactly one. */
const GROUPS: readonly [string, RegExp][] = [
  // First: /metrics and /v1/tokens slow down as the later groups add projects and tokens.
  [
    'tokens, workers, health, metrics and docs',
    /^\w+ \/(v1\/tokens|v1\/workers|healthz|readyz|metrics|openapi\.json|docs)/,
  ],
  ['jobs', /\/jobs/],
  ['models, versions and operations', /\/projects\/:project\/(models|operations)/],
  ['tf serving and kserve', /^\w+ \/v[12]\//],
  ['the rest', /./],
];

const groupOf = (route: string): string =>
  GROUPS.find(([, pattern]) => pattern.test(route))?.[0] ?? 'none';

/** Requests per group: proportional to its number of routes, summing to TOTAL_RUNS. */
const runsFor = (name: string): number => {
  const routes = [...new Set(f.routes)];
  const counts = GROUPS.map(([group]) => routes.filter((r) => groupOf(r) === group).length);
  const index = GROUPS.findIndex(([group]) => group === name);
  const before = counts.slice(0, index).reduce((a, b) => a + b, 0);
  const share = (n: number) => Math.round((TOTAL_RUNS * n) / routes.length);
  return share(before + (counts[index] ?? 0)) - share(before);
};

describe('fuzzing every route', () => {
  it('covers every registered route', () => {
    const routes = [...new Set(f.routes)];
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((route) => groupOf(route) === 'none')).toEqual([]);
  });

  // Bug found by this fuzzer: a body nested ~5,000 deep overflowed JSON.stringify while
  // the validator quoted the bad value in its message, so the API answered 500.
  it('regression: a body nested 5,000 deep is a 400 naming the field, not a 500', async () => {
    const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
    for (const [url, body] of [
      [`/v1/projects/${f.project}/jobs`, `{"jobId":"deep_1","trainingInput":${deep}}`],
      ['/v1/tokens', `{"project":${deep},"role":"viewer"}`],
    ] as const) {
      const reply = await f.inject('POST', url, {
        token: f.tokens.admin,
        body,
        contentType: 'application/json',
      });
      expect([url, reply.statusCode]).toEqual([url, 400]);
      const { message } = (reply.json() as { error: { message: string } }).error;
      expect(message).toContain(url === '/v1/tokens' ? 'project' : 'trainingInput');
    }
  });

  GROUPS.forEach(([name], index) => {
    it(`never answers 5xx nor changes the store on a rejected write: ${name}`, async () => {
      const routes = [...new Set(f.routes)].filter((route) => groupOf(route) === name);
      if (routes.length === 0) return; // 'the rest' is empty unless a new route lands.
      const numRuns = runsFor(name);
      const arbitrary = fc.oneof(...routes.map((route) => requestTo(route, f.project)));
      try {
        await fc.assert(fc.asyncProperty(arbitrary, check), {
          seed: SEED_VALUE + index,
          numRuns,
          endOnFailure: true,
        });
      } catch (error) {
        // fast-check prints the whole counterexample (bodies up to 1.5 MB): keep the
        // seed, the path and our own (truncated) description of the request.
        const message = (error as Error).message.replace(
          /^Counterexample: .*$/m,
          'Counterexample: see "Caused by"',
        );
        if (process.env.FUZZ_DEBUG) console.log((error as Error).stack);
        throw new Error(message, { cause: (error as Error).cause });
      }
    }, 300_000);
  });

  it('still answers /healthz, and tallies', async () => {
    const health = await f.inject('GET', '/healthz');
    expect(health.statusCode).toBe(200);
    expect(tally.requests).toBe(TOTAL_RUNS);
    const statuses = Object.fromEntries([...tally.byStatus].sort(([a], [b]) => a - b));
    console.info(
      JSON.stringify({
        routes: new Set(f.routes).size,
        fuzzRequests: tally.requests,
        statuses,
        rejectedWrites: tally.rejectedWrites,
      }),
    );
    expect(Object.keys(statuses).filter((status) => Number(status) >= 500)).toEqual([]);
  });
});
