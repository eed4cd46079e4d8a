import { afterAll, describe, expect, it } from 'vitest';
import { jobUriUses, type UriUse } from '@stratus/spec';
import { jobInput, openTestStore, stratusFailure } from '../../../tests/support/test-store.js';
import { createJobStore } from './store.js';

const t = openTestStore();
const { buckets } = t.store;
afterAll(() => t.close());

const read = (field: string, uri: string): UriUse => ({ field, uri, access: 'read' });
const write = (field: string, uri: string): UriUse => ({ field, uri, access: 'write' });

/** Who owns `bucket`, straight from Redis. */
const ownerOf = (bucket: string): Promise<string | null> =>
  t.redis.hget(t.store.keys.buckets.owners, bucket);

describe('bucket ownership', () => {
  it('lets exactly one of two racing projects claim a bucket', async () => {
    // Separate connections, as two API replicas would have.
    const replicas = [t.connect(), t.connect()].map((redis) =>
      createJobStore({ redis, prefix: t.prefix }),
    );
    const outcomes = await Promise.allSettled(
      ['racer-a', 'racer-b'].map((project, i) => replicas[i]!.buckets.claim(project, 'race-1')),
    );
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ owner: string }>).value.owner;
    expect(await ownerOf('race-1')).toBe(winner);
    const error = (lost[0] as PromiseRejectedResult).reason as { reason: string; message: string };
    expect(error.reason).toBe('PERMISSION_DENIED');
    expect(error.message).toBe(
      'Permission denied: name: bucket "race-1" belongs to another project',
    );
  });

  it('lets exactly one of many racing authorize calls claim a bucket', async () => {
    const projects = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const outcomes = await Promise.allSettled(
      projects.map((project) =>
        buckets.authorize(project, [write('trainingInput.jobDir', 'gs://race-2/jobs/x')]),
      ),
    );
    const won = outcomes.flatMap((outcome, i) =>
      outcome.status === 'fulfilled' ? [projects[i]] : [],
    );
    expect(won).toHaveLength(1);
    expect(await ownerOf('race-2')).toBe(won[0]);
  });

  it('claims idempotently for the owner and lists owned buckets', async () => {
    expect(await buckets.claim('gamma', 'gamma-data')).toEqual({
      name: 'gamma-data',
      owner: 'gamma',
      role: 'OWNER',
      grants: [],
    });
    expect(await buckets.claim('gamma', 'gamma-data')).toEqual({
      name: 'gamma-data',
      owner: 'gamma',
      role: 'OWNER',
      grants: [],
    });
    expect(await buckets.list('gamma')).toEqual([
      { name: 'gamma-data', owner: 'gamma', role: 'OWNER', grants: [] },
    ]);
  });

  it('authorizes by grant: READER reads, only WRITER writes, and revoke takes it back', async () => {
    await buckets.claim('beta', 'beta-data');
    const readUse = read('trainingInput.builtinAlgorithm.trainingData', 'gs://beta-data/x.csv');
    const writeUse = write('trainingInput.jobDir', 'gs://beta-data/jobs/j1');

    const noGrant = await stratusFailure(buckets.authorize('alpha', [readUse]));
    expect(noGrant.reason).toBe('PERMISSION_DENIED');
    expect(noGrant.httpStatus).toBe(403);
    expect(noGrant.message).toBe(
      'Permission denied: trainingInput.builtinAlgorithm.trainingData: bucket "beta-data" belongs to another project',
    );
    expect(noGrant.message).not.toContain('beta"');

    expect(await buckets.grant('beta', 'beta-data', 'alpha', 'READER')).toEqual({
      name: 'beta-data',
      owner: 'beta',
      role: 'OWNER',
      grants: [{ project: 'alpha', role: 'READER' }],
    });
    expect(await buckets.authorize('alpha', [readUse])).toEqual({ claimed: [] });
    const readerWrites = await stratusFailure(buckets.authorize('alpha', [readUse, writeUse]));
    expect(readerWrites.message).toBe(
      'Permission denied: trainingInput.jobDir: bucket "beta-data" belongs to another project, which granted project "alpha" only READER (writing needs WRITER)',
    );

    await buckets.grant('beta', 'beta-data', 'alpha', 'WRITER');
    expect(await buckets.authorize('alpha', [readUse, writeUse])).toEqual({ claimed: [] });
    expect(await buckets.list('alpha')).toEqual([
      { name: 'beta-data', owner: 'beta', role: 'WRITER' },
    ]);

    expect(await buckets.revoke('beta', 'beta-data', 'alpha')).toEqual({
      name: 'beta-data',
      owner: 'beta',
      role: 'OWNER',
      grants: [],
    });
    expect((await stratusFailure(buckets.authorize('alpha', [readUse]))).reason).toBe(
      'PERMISSION_DENIED',
    );
    expect(await buckets.list('alpha')).toEqual([]);
    expect(await ownerOf('beta-data')).toBe('beta');
  });

  it('claims nothing when any use is refused, and every unclaimed bucket when all pass', async () => {
    await buckets.claim('beta', 'beta-only');
    const uses = [
      write('trainingInput.jobDir', 'gs://fresh-out/jobs/j'),
      read('trainingInput.packageUris[0]', 'gs://fresh-pkg/p.tgz'),
      read('trainingInput.args[1]', 'gs://beta-only/data'),
    ];
    const refused = await stratusFailure(buckets.authorize('alpha', uses));
    expect(refused.message).toBe(
      'Permission denied: trainingInput.args[1]: bucket "beta-only" belongs to another project',
    );
    expect(await ownerOf('fresh-out')).toBeNull();
    expect(await ownerOf('fresh-pkg')).toBeNull();

    expect(await buckets.authorize('alpha', uses.slice(0, 2))).toEqual({
      claimed: ['fresh-out', 'fresh-pkg'],
    });
    expect(await ownerOf('fresh-out')).toBe('alpha');
    expect(await ownerOf('fresh-pkg')).toBe('alpha');
  });

  it('undoes only the grantless claims the project still holds', async () => {
    const { claimed } = await buckets.authorize('delta', [
      write('jobDir', 'gs://undo-a/x'),
      read('data', 'gs://undo-b/y'),
    ]);
    expect(claimed).toEqual(['undo-a', 'undo-b']);
    await buckets.grant('delta', 'undo-b', 'alpha', 'READER');
    await buckets.undoClaims('delta', claimed);
    expect(await ownerOf('undo-a')).toBeNull();
    expect(await ownerOf('undo-b')).toBe('delta');
  });

  it('refuses a URI that names no valid bucket, naming the field', async () => {
    const error = await stratusFailure(
      buckets.authorize('alpha', [read('trainingInput.args[0]', 'gs://Not_A_Bucket/x')]),
    );
    expect(error.reason).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      'trainingInput.args[0]: "gs://Not_A_Bucket/x": bucket name may contain only lowercase letters, digits, "-", "_" and "."',
    );
  });

  it('releases a bucket with its grants, and lets only the owner do it', async () => {
    await buckets.claim('epsilon', 'eps-data');
    await buckets.grant('epsilon', 'eps-data', 'alpha', 'WRITER');
    const notOwner = await stratusFailure(buckets.release('alpha', 'eps-data'));
    expect(notOwner.reason).toBe('BUCKET_NOT_FOUND');
    expect(notOwner.message).toBe('Bucket "eps-data" is not owned by project "alpha"');
    const grantByNonOwner = await stratusFailure(
      buckets.grant('alpha', 'eps-data', 'zeta', 'READER'),
    );
    expect(grantByNonOwner.reason).toBe('BUCKET_NOT_FOUND');

    await buckets.release('epsilon', 'eps-data');
    expect(await ownerOf('eps-data')).toBeNull();
    expect(await buckets.list('epsilon')).toEqual([]);
    expect(await buckets.list('alpha')).not.toContainEqual(
      expect.objectContaining({ name: 'eps-data' }),
    );
    expect(await t.redis.exists(t.store.keys.buckets.grants('eps-data'))).toBe(0);
    // Free again: the next project to name it gets it.
    expect((await buckets.claim('zeta', 'eps-data')).owner).toBe('zeta');
  });

  it('reassigns a bucket to another project, keeping the other grants', async () => {
    await buckets.claim('eta', 'eta-data');
    await buckets.grant('eta', 'eta-data', 'theta', 'WRITER');
    await buckets.grant('eta', 'eta-data', 'iota', 'READER');
    await buckets.release('eta', 'eta-data', 'theta');
    expect(await ownerOf('eta-data')).toBe('theta');
    expect(await buckets.list('eta')).toEqual([]);
    expect(await buckets.list('theta')).toEqual([
      {
        name: 'eta-data',
        owner: 'theta',
        role: 'OWNER',
        grants: [{ project: 'iota', role: 'READER' }],
      },
    ]);
    expect(await buckets.list('iota')).toEqual([
      { name: 'eta-data', owner: 'theta', role: 'READER' },
    ]);
    const badTarget = await stratusFailure(buckets.release('theta', 'eta-data', 'Not A Project'));
    expect(badTarget.message).toBe('reassignTo: "Not A Project" is not a project id');
  });

  it('refuses a grant to the owner itself', async () => {
    await buckets.claim('kappa', 'kappa-data');
    const error = await stratusFailure(buckets.grant('kappa', 'kappa-data', 'kappa', 'READER'));
    expect(error.message).toBe('project: "kappa" owns bucket "kappa-data" and needs no grant');
  });

  it('authorizes every URI field of a job (jobUriUses)', async () => {
    await buckets.claim('lambda', 'lam-args');
    const input = jobInput('uses1').trainingInput;
    const uses = jobUriUses({
      ...input,
      jobDir: 'gs://mu-out/jobs/uses1',
      packageUris: ['gs://mu-pkg/t.tgz'],
      args: ['--epochs=3', '--data=gs://lam-args/d.csv,gs://mu-pkg/other'],
    });
    expect(uses.map((use) => [use.field, use.uri, use.access])).toEqual([
      ['trainingInput.jobDir', 'gs://mu-out/jobs/uses1', 'write'],
      ['trainingInput.builtinAlgorithm.trainingData', 'gs://demo/data/iris.csv', 'read'],
      ['trainingInput.packageUris[0]', 'gs://mu-pkg/t.tgz', 'read'],
      ['trainingInput.args[1]', 'gs://lam-args/d.csv', 'read'],
      ['trainingInput.args[1]', 'gs://mu-pkg/other', 'read'],
    ]);
    const error = await stratusFailure(buckets.authorize('mu', uses));
    expect(error.message).toBe(
      'Permission denied: trainingInput.args[1]: bucket "lam-args" belongs to another project',
    );
    expect(await ownerOf('mu-out')).toBeNull();
    expect(await ownerOf('demo')).toBeNull();
  });
});
