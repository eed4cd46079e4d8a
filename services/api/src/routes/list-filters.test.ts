import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, ListOperationsResponse, Model, Operation, Version } from '@stratus/spec';
import { errorOf, openTestApi, type TestApi } from '../api.test-support.js';
import { jobInput } from '../../../../tests/support/test-store.js';
import { filterText } from '../../../../tests/support/filter-arbitrary.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi();
  for (const jobId of ['rnn_1', 'cnn_1', 'rnn_2', 'rnn_3']) {
    await t.store.jobs.create('demo', jobInput(jobId, { labels: { arch: jobId.slice(0, 3) } }));
  }
  for (const jobId of ['rnn_1', 'cnn_1']) {
    await t.store.jobs.transition('demo', jobId, { from: ['QUEUED'], to: 'FAILED' });
  }
});
afterAll(() => t.close());

const get = (url: string) => t.call('GET', url, { token: t.tokens.viewer });
const query = (filter: string, more = ''): string => `?filter=${encodeURIComponent(filter)}${more}`;

const jobIds = async (filter: string): Promise<string[]> => {
  const response = await get(`/v1/projects/demo/jobs${query(filter)}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { jobs: Job[] }).jobs.map((job) => job.jobId);
};

describe('GET /v1/projects/{p}/jobs?filter=', () => {
  it('answers the docs example, jobId:rnn* AND state:FAILED', async () => {
    expect(await jobIds('jobId:rnn* AND state:FAILED')).toEqual(['rnn_1']);
  });

  it('combines OR, NOT, "-" and parentheses, OR binding tighter than AND', async () => {
    expect(await jobIds('state=FAILED OR jobId=rnn_3 AND labels.arch=rnn')).toEqual([
      'rnn_3',
      'rnn_1',
    ]);
    expect(await jobIds('-state:FAILED')).toEqual(['rnn_3', 'rnn_2']);
    expect(await jobIds('NOT (jobId:rnn* OR state=QUEUED)')).toEqual(['cnn_1']);
    expect(await jobIds('createTime>2000-01-01T00:00:00Z labels:arch')).toEqual([
      'rnn_3',
      'rnn_2',
      'cnn_1',
      'rnn_1',
    ]);
  });

  it('is 400 naming the filter and the token for malformed filters', async () => {
    const response = await get(`/v1/projects/demo/jobs${query('state=FAILED AND (jobId:rnn*')}`);
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({
      reason: 'INVALID_ARGUMENT',
      fields: ['filter'],
      message:
        'filter: expected ")" to close the "(" at position 18, found end of filter at position 29',
    });
  });

  it('answers a few hundred random filters with 200 or 400 only', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(filterText, async (filter) => {
        const response = await get(`/v1/projects/demo/jobs${query(filter)}`);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect([200, 400], `${JSON.stringify(filter)}: ${response.body}`).toContain(
          response.statusCode,
        );
        if (response.statusCode === 400) {
          expect(errorOf(response).fields).toEqual(['filter']);
        }
      }),
      { seed: 20, numRuns: 300 },
    );
    expect(statuses.get(200)).toBeGreaterThan(10);
    expect(statuses.get(400)).toBeGreaterThan(10);
  });
});

describe('model, version and operation lists', () => {
  beforeAll(async () => {
    await t.store.models.create('demo', { name: 'census', labels: { team: 'a' } });
    await t.store.models.create('demo', { name: 'iris', description: 'flowers' });
    for (const name of ['v1', 'v2', 'v3']) {
      await t.store.versions.create('demo', 'iris', {
        name,
        deploymentUri: `gs://demo/iris/${name}`,
        labels: { stage: name === 'v2' ? 'prod' : 'dev' },
      });
    }
    await t.store.versions.finish('demo', 'iris', 'v1', { state: 'READY' });
    await t.store.versions.delete('demo', 'iris', 'v3');
  });

  it('filters models and versions', async () => {
    const models = await get(`/v1/projects/demo/models${query('labels.team=a OR description:*')}`);
    expect((models.json() as { models: Model[] }).models.map((m) => m.name)).toEqual([
      'projects/demo/models/census',
      'projects/demo/models/iris',
    ]);
    const versions = await get(
      `/v1/projects/demo/models/iris/versions${query('state=CREATING labels.stage=prod')}`,
    );
    expect((versions.json() as { versions: Version[] }).versions.map((v) => v.name)).toEqual([
      'projects/demo/models/iris/versions/v2',
    ]);
    const bad = await get(`/v1/projects/demo/models${query('framework=ONNX')}`);
    expect([bad.statusCode, errorOf(bad).fields, errorOf(bad).message]).toEqual([
      400,
      ['filter'],
      'filter: unknown field "framework" at position 1; filterable fields: name, description, createTime, labels.<key>',
    ]);
  });

  it('lists operations newest first, filtered and paged', async () => {
    const all = await get('/v1/projects/demo/operations');
    expect(all.statusCode).toBe(200);
    const types = (all.json() as ListOperationsResponse).operations.map(
      (op: Operation) =>
        `${op.metadata.operationType}:${op.metadata.version?.name.split('/').pop()}`,
    );
    expect(types).toEqual([
      'DELETE_VERSION:v3',
      'CREATE_VERSION:undefined',
      'CREATE_VERSION:v2',
      'CREATE_VERSION:v1',
    ]);
    const open = await get(`/v1/projects/demo/operations${query('done=false')}`);
    expect(
      (open.json() as ListOperationsResponse).operations.map((op) => op.metadata.version?.name),
    ).toEqual(['projects/demo/models/iris/versions/v2']);
    const first = await get('/v1/projects/demo/operations?pageSize=3');
    const page = first.json() as ListOperationsResponse;
    expect(page.operations).toHaveLength(3);
    const rest = await get(
      `/v1/projects/demo/operations?pageSize=3&pageToken=${encodeURIComponent(page.nextPageToken ?? '')}`,
    );
    expect(rest.json()).toEqual({
      operations: [(all.json() as ListOperationsResponse).operations[3]],
    });
    const big = await get('/v1/projects/demo/operations?pageSize=101');
    expect([big.statusCode, errorOf(big).fields]).toEqual([400, ['pageSize']]);
    const other = await t.call('GET', '/v1/projects/demo/operations', {
      token: t.tokens.otherEditor,
    });
    // Another project's operations are hidden, as its other resources are.
    expect([other.statusCode, errorOf(other).reason]).toEqual([404, 'PROJECT_NOT_FOUND']);
  });
});
