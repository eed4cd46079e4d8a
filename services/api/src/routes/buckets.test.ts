import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import {
  BucketSchema,
  ListBucketsResponseSchema,
  type JobInput,
  type TrainingInput,
  type TrainingJobInput,
} from '@stratus/spec';
import { errorOf, irisJob, openTestApi, type TestApi } from '../api.test-support.js';

let t: TestApi;
let alpha: string;
let alphaViewer: string;
let beta: string;
beforeAll(async () => {
  t = await openTestApi();
  const token = async (project: string, role: 'viewer' | 'editor'): Promise<string> =>
    (await t.store.tokens.create({ project, role })).token;
  alpha = await token('alpha', 'editor');
  alphaViewer = await token('alpha', 'viewer');
  beta = await token('beta', 'editor');
});
afterAll(() => t.close());

const ALPHA = '/v1/projects/alpha';
const BETA = '/v1/projects/beta';

/** Who owns each bucket, and every grant, as Redis holds them. */
const ownership = async (): Promise<unknown> => {
  const keys = t.store.keys.buckets;
  const owners = await t.redis.hgetall(keys.owners);
  const grants: Record<string, Record<string, string>> = {};
  for (const bucket of Object.keys(owners)) {
    grants[bucket] = await t.redis.hgetall(keys.grants(bucket));
  }
  return { owners, grants };
};

/** An alpha built-in job whose URIs all live in alpha's bucket. */
const alphaJob = (jobId: string, patch: Partial<TrainingInput> = {}): TrainingJobInput => {
  const job = irisJob(jobId);
  const { builtinAlgorithm } = job.trainingInput;
  return {
    ...job,
    trainingInput: {
      ...job.trainingInput,
      jobDir: `gs://alpha-data/jobs/${jobId}`,
      ...(builtinAlgorithm === undefined
        ? {}
        : {
            builtinAlgorithm: { ...builtinAlgorithm, trainingData: 'gs://alpha-data/iris.csv' },
          }),
      ...patch,
    },
  };
};

const customJob = (jobId: string, patch: Partial<JobInput['trainingInput']>): JobInput => ({
  jobId,
  trainingInput: {
    jobDir: `gs://alpha-data/jobs/${jobId}`,
    packageUris: ['gs://alpha-data/trainer.tgz'],
    module: 'train.js',
    ...patch,
  },
});

describe('buckets over HTTP', () => {
  it('claims, lists, grants, revokes and releases, with the roles each needs', async () => {
    const claimed = await t.call('POST', `${BETA}/buckets`, {
      token: beta,
      body: { name: 'beta-data' },
    });
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json()).toEqual({ name: 'beta-data', owner: 'beta', role: 'OWNER', grants: [] });
    expect(Value.Check(BucketSchema, claimed.json())).toBe(true);

    const again = await t.call('POST', `${ALPHA}/buckets`, {
      token: alpha,
      body: { name: 'beta-data' },
    });
    expect([again.statusCode, errorOf(again).reason, errorOf(again).message]).toEqual([
      403,
      'PERMISSION_DENIED',
      'Permission denied: name: bucket "beta-data" belongs to another project',
    ]);

    const alphaClaim = await t.call('POST', `${ALPHA}/buckets`, {
      token: alpha,
      body: { name: 'alpha-data' },
    });
    expect(alphaClaim.statusCode).toBe(200);
    const viewerClaim = await t.call('POST', `${ALPHA}/buckets`, {
      token: alphaViewer,
      body: { name: 'alpha-more' },
    });
    expect(viewerClaim.statusCode).toBe(403);

    const granted = await t.call('POST', `${BETA}/buckets/beta-data:grant`, {
      token: beta,
      body: { project: 'alpha', role: 'READER' },
    });
    expect(granted.json()).toEqual({
      name: 'beta-data',
      owner: 'beta',
      role: 'OWNER',
      grants: [{ project: 'alpha', role: 'READER' }],
    });
    const list = await t.call('GET', `${ALPHA}/buckets`, { token: alphaViewer });
    expect(list.json()).toEqual({
      buckets: [
        { name: 'alpha-data', owner: 'alpha', role: 'OWNER', grants: [] },
        { name: 'beta-data', owner: 'beta', role: 'READER' },
      ],
    });
    expect(Value.Check(ListBucketsResponseSchema, list.json())).toBe(true);

    // Only the owner grants, revokes or releases; anyone else is told it is not theirs.
    const stolenGrant = await t.call('POST', `${ALPHA}/buckets/beta-data:grant`, {
      token: alpha,
      body: { project: 'alpha', role: 'WRITER' },
    });
    expect([stolenGrant.statusCode, errorOf(stolenGrant).message]).toEqual([
      404,
      'Bucket "beta-data" is not owned by project "alpha"',
    ]);
    const stolenRelease = await t.call('DELETE', `${ALPHA}/buckets/beta-data`, { token: alpha });
    expect(stolenRelease.statusCode).toBe(404);
    const crossProject = await t.call('DELETE', `${BETA}/buckets/beta-data`, { token: alpha });
    expect(crossProject.statusCode).toBe(404);

    const revoked = await t.call('POST', `${BETA}/buckets/beta-data:revoke`, {
      token: beta,
      body: { project: 'alpha' },
    });
    expect(revoked.json()).toEqual({ name: 'beta-data', owner: 'beta', role: 'OWNER', grants: [] });

    await t.call('POST', `${BETA}/buckets`, { token: beta, body: { name: 'beta-spare' } });
    const released = await t.call('DELETE', `${BETA}/buckets/beta-spare`, { token: beta });
    expect([released.statusCode, released.json()]).toEqual([200, {}]);
    expect(await t.redis.hget(t.store.keys.buckets.owners, 'beta-spare')).toBeNull();
  });

  it('lets only an admin reassign a bucket', async () => {
    await t.call('POST', `${BETA}/buckets`, { token: beta, body: { name: 'beta-handover' } });
    const byEditor = await t.call('DELETE', `${BETA}/buckets/beta-handover?reassignTo=alpha`, {
      token: beta,
    });
    expect([byEditor.statusCode, errorOf(byEditor).message]).toEqual([
      403,
      'Permission denied: reassignTo: only an admin token may reassign a bucket',
    ]);
    const byAdmin = await t.call('DELETE', `${BETA}/buckets/beta-handover?reassignTo=alpha`, {
      token: t.tokens.admin,
    });
    expect(byAdmin.statusCode).toBe(200);
    expect(await t.redis.hget(t.store.keys.buckets.owners, 'beta-handover')).toBe('alpha');
  });

  it('answers 400 naming the field for a bad bucket name or grant', async () => {
    const cases: [string, string, unknown, string | string[]][] = [
      ['POST', `${ALPHA}/buckets`, { name: 'Bad_Name' }, 'name'],
      ['POST', `${ALPHA}/buckets`, { name: 'xn' }, 'name'],
      ['POST', `${ALPHA}/buckets`, { title: 'x' }, ['name', 'title']],
      ['POST', `${ALPHA}/buckets/Bad_Name:grant`, { project: 'beta', role: 'READER' }, 'bucket'],
      ['POST', `${ALPHA}/buckets/alpha-data:grant`, { project: 'beta', role: 'OWNER' }, 'role'],
      [
        'POST',
        `${ALPHA}/buckets/alpha-data:grant`,
        { project: 'Beta!', role: 'READER' },
        'project',
      ],
      [
        'POST',
        `${ALPHA}/buckets/alpha-data:grant`,
        { project: 'alpha', role: 'READER' },
        'project',
      ],
      ['POST', `${ALPHA}/buckets/alpha-data:revoke`, { project: 'beta', role: 'READER' }, 'role'],
      ['DELETE', `${ALPHA}/buckets/alpha-data?reassignTo=Nope!`, undefined, 'reassignTo'],
    ];
    for (const [method, url, body, field] of cases) {
      const response = await t.call(method, url, { token: t.tokens.admin, body });
      expect([url, response.statusCode, errorOf(response).fields]).toEqual([
        url,
        400,
        typeof field === 'string' ? [field] : field,
      ]);
    }
  });
});

describe('every URI field of a request is authorized before anything is stored', () => {
  const jobCases: [string, (id: string) => JobInput, string][] = [
    [
      'jobDir',
      (id) => alphaJob(id, { jobDir: `gs://beta-data/jobs/${id}` }),
      'trainingInput.jobDir',
    ],
    [
      'trainingData',
      (id) => {
        const job = alphaJob(id);
        const algo = job.trainingInput.builtinAlgorithm!;
        return alphaJob(id, {
          builtinAlgorithm: { ...algo, trainingData: 'gs://beta-data/iris.csv' },
        });
      },
      'trainingInput.builtinAlgorithm.trainingData',
    ],
    [
      'validationData',
      (id) => {
        const algo = alphaJob(id).trainingInput.builtinAlgorithm!;
        return alphaJob(id, {
          builtinAlgorithm: {
            ...algo,
            validationSplit: undefined,
            validationData: 'gs://beta-data/val.csv',
          },
        });
      },
      'trainingInput.builtinAlgorithm.validationData',
    ],
    [
      'packageUris',
      (id) =>
        customJob(id, { packageUris: ['gs://alpha-data/a.tgz', 'gs://beta-data/trainer.tgz'] }),
      'trainingInput.packageUris[1]',
    ],
    [
      'args',
      (id) => customJob(id, { args: ['--epochs', '3', 'gs://beta-data/train.csv'] }),
      'trainingInput.args[2]',
    ],
    [
      'args --flag=',
      (id) => customJob(id, { args: ['--data=gs://beta-data/train.csv'] }),
      'trainingInput.args[0]',
    ],
  ];

  it.each(jobCases)(
    'job create: %s in beta’s bucket is a 403 and stores nothing',
    async (_, make, field) => {
      const before = await ownership();
      const jobId = `j_${field.replace(/[^A-Za-z0-9]/g, '_')}`;
      // A fresh bucket beside the refused one must not be claimed either.
      const input = make(jobId);
      const withFresh: JobInput = {
        ...input,
        trainingInput:
          field === 'trainingInput.jobDir'
            ? input.trainingInput
            : { ...input.trainingInput, jobDir: `gs://alpha-fresh/jobs/${jobId}` },
      };
      const response = await t.call('POST', `${ALPHA}/jobs`, { token: alpha, body: withFresh });
      expect([response.statusCode, errorOf(response).reason, errorOf(response).fields]).toEqual([
        403,
        'PERMISSION_DENIED',
        [field],
      ]);
      expect(errorOf(response).body.status).toBe('PERMISSION_DENIED');
      expect(errorOf(response).message).toBe(
        `Permission denied: ${field}: bucket "beta-data" belongs to another project`,
      );
      expect(await t.store.jobs.find('alpha', jobId)).toBeUndefined();
      // No trial was enqueued (no successful submit has run yet in this file).
      expect(await t.queues.cpu.count()).toBe(0);
      expect(await ownership()).toEqual(before);
    },
  );

  it('passes the read fields with a READER grant, refuses jobDir until WRITER', async () => {
    await t.call('POST', `${BETA}/buckets/beta-data:grant`, {
      token: beta,
      body: { project: 'alpha', role: 'READER' },
    });
    const reads = alphaJob('reads_beta');
    const algo = reads.trainingInput.builtinAlgorithm!;
    const readJob = alphaJob('reads_beta', {
      builtinAlgorithm: { ...algo, trainingData: 'gs://beta-data/iris.csv' },
    });
    const ok = await t.call('POST', `${ALPHA}/jobs`, { token: alpha, body: readJob });
    expect(ok.statusCode).toBe(200);
    const custom = await t.call('POST', `${ALPHA}/jobs`, {
      token: alpha,
      body: customJob('reads_pkg', {
        packageUris: ['gs://beta-data/trainer.tgz'],
        args: ['--data=gs://beta-data/train.csv'],
      }),
    });
    expect(custom.statusCode).toBe(200);

    const writes = alphaJob('writes_beta', { jobDir: 'gs://beta-data/jobs/writes_beta' });
    const refused = await t.call('POST', `${ALPHA}/jobs`, { token: alpha, body: writes });
    expect([refused.statusCode, errorOf(refused).message]).toEqual([
      403,
      'Permission denied: trainingInput.jobDir: bucket "beta-data" belongs to another project, which granted project "alpha" only READER (writing needs WRITER)',
    ]);
    expect(await t.store.jobs.find('alpha', 'writes_beta')).toBeUndefined();

    await t.call('POST', `${BETA}/buckets/beta-data:grant`, {
      token: beta,
      body: { project: 'alpha', role: 'WRITER' },
    });
    const now = await t.call('POST', `${ALPHA}/jobs`, { token: alpha, body: writes });
    expect(now.statusCode).toBe(200);
    expect(await t.redis.hget(t.store.keys.buckets.owners, 'beta-data')).toBe('beta');
    await t.call('POST', `${BETA}/buckets/beta-data:revoke`, {
      token: beta,
      body: { project: 'alpha' },
    });
  });

  it('claims a job’s unclaimed buckets on first use, and gives them back when the create fails', async () => {
    const job = alphaJob('claims', { jobDir: 'gs://alpha-out/jobs/claims' });
    expect((await t.call('POST', `${ALPHA}/jobs`, { token: alpha, body: job })).statusCode).toBe(
      200,
    );
    expect(await t.redis.hget(t.store.keys.buckets.owners, 'alpha-out')).toBe('alpha');
    // Same id again: 409, and the new bucket it named is not kept.
    const dup = alphaJob('claims', { jobDir: 'gs://alpha-dup/jobs/claims' });
    const conflict = await t.call('POST', `${ALPHA}/jobs`, { token: alpha, body: dup });
    expect(conflict.statusCode).toBe(409);
    expect(await t.redis.hget(t.store.keys.buckets.owners, 'alpha-dup')).toBeNull();
  });

  it('version create: deploymentUri in beta’s bucket is a 403 and stores nothing', async () => {
    await t.call('POST', `${ALPHA}/models`, { token: alpha, body: { name: 'm' } });
    const before = await ownership();
    const response = await t.call('POST', `${ALPHA}/models/m/versions`, {
      token: alpha,
      body: { name: 'v1', deploymentUri: 'gs://beta-data/model' },
    });
    expect([response.statusCode, errorOf(response).fields, errorOf(response).message]).toEqual([
      403,
      ['deploymentUri'],
      'Permission denied: deploymentUri: bucket "beta-data" belongs to another project',
    ]);
    expect(await t.store.versions.find('alpha', 'm', 'v1')).toBeUndefined();
    expect(await ownership()).toEqual(before);

    await t.call('POST', `${BETA}/buckets/beta-data:grant`, {
      token: beta,
      body: { project: 'alpha', role: 'READER' },
    });
    const granted = await t.call('POST', `${ALPHA}/models/m/versions`, {
      token: alpha,
      body: { name: 'v1', deploymentUri: 'gs://beta-data/model' },
    });
    expect(granted.statusCode).toBe(200);
  });

  it('version create: a sourceJob whose model is in a bucket alpha lost access to is a 403', async () => {
    await t.call('POST', `${BETA}/buckets/beta-data:grant`, {
      token: beta,
      body: { project: 'alpha', role: 'WRITER' },
    });
    const job = alphaJob('src', { jobDir: 'gs://beta-data/jobs/src' });
    expect((await t.call('POST', `${ALPHA}/jobs`, { token: alpha, body: job })).statusCode).toBe(
      200,
    );
    await t.store.jobs.transition('alpha', 'src', { from: ['QUEUED'], to: 'PREPARING' });
    await t.store.jobs.transition('alpha', 'src', { from: ['PREPARING'], to: 'RUNNING' });
    await t.store.trials.recordResult('alpha', 'src', '1', {
      state: 'SUCCEEDED',
      modelDir: 'gs://beta-data/jobs/src/model',
    });
    await t.store.jobs.transition('alpha', 'src', { from: ['RUNNING'], to: 'SUCCEEDED' });
    await t.call('POST', `${BETA}/buckets/beta-data:revoke`, {
      token: beta,
      body: { project: 'alpha' },
    });
    await t.call('POST', `${ALPHA}/models`, { token: alpha, body: { name: 'from_src' } });
    const before = await ownership();
    const response = await t.call('POST', `${ALPHA}/models/from_src/versions`, {
      token: alpha,
      body: { name: 'v1', sourceJob: { jobId: 'src' } },
    });
    expect([response.statusCode, errorOf(response).fields, errorOf(response).message]).toEqual([
      403,
      ['sourceJob'],
      'Permission denied: sourceJob: bucket "beta-data" belongs to another project',
    ]);
    expect(await t.store.versions.find('alpha', 'from_src', 'v1')).toBeUndefined();
    expect(await ownership()).toEqual(before);
  });

  it('the signature route re-checks the version’s bucket before reading it', async () => {
    // alpha's v1 of model m was deployed from beta-data under a READER grant, since revoked.
    await t.call('POST', `${BETA}/buckets/beta-data:revoke`, {
      token: beta,
      body: { project: 'alpha' },
    });
    const response = await t.call('GET', `${ALPHA}/models/m/versions/v1/signature`, {
      token: alphaViewer,
    });
    expect([response.statusCode, errorOf(response).message]).toEqual([
      403,
      'Permission denied: deploymentUri: bucket "beta-data" belongs to another project',
    ]);
  });
});
