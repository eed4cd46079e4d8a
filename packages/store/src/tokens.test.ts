import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { jobInput, openTestStore, scanKeys } from '../../../tests/support/test-store.js';

const t = openTestStore({ now: () => new Date('2024-05-01T12:00:00.000Z') });
const { store } = t;
afterAll(() => t.close());

/** Every string Redis holds under the prefix: key names, and each value of each type. */
const dumpAll = async (): Promise<string> => {
  const parts: string[] = [];
  for (const key of await scanKeys(t.redis, t.prefix)) {
    parts.push(key);
    const type = await t.redis.type(key);
    if (type === 'string') parts.push((await t.redis.get(key)) ?? '');
    if (type === 'hash') parts.push(JSON.stringify(await t.redis.hgetall(key)));
    if (type === 'zset') parts.push(JSON.stringify(await t.redis.zrange(key, 0, -1, 'WITHSCORES')));
    if (type === 'set') parts.push(JSON.stringify(await t.redis.smembers(key)));
    if (type === 'list') parts.push(JSON.stringify(await t.redis.lrange(key, 0, -1)));
    if (type === 'stream') parts.push(JSON.stringify(await t.redis.xrange(key, '-', '+')));
  }
  return parts.join('\n');
};

describe('tokens', () => {
  it('creates a prefixed random token once and verifies it by its hash', async () => {
    const { token, info } = await store.tokens.create({
      project: 'demo',
      role: 'editor',
      description: 'CI',
    });
    expect(token).toMatch(/^stratus_[A-Za-z0-9_-]{43}$/);
    expect(info).toEqual({
      tokenId: expect.stringMatching(/^[0-9a-f]{16}$/),
      project: 'demo',
      role: 'editor',
      description: 'CI',
      createTime: '2024-05-01T12:00:00.000Z',
    });
    expect(await store.tokens.verify(token)).toEqual({
      tokenId: info.tokenId,
      project: 'demo',
      role: 'editor',
    });
    expect(await store.tokens.verify(`${token}x`)).toBeUndefined();
    expect(await store.tokens.verify('')).toBeUndefined();
    const other = await store.tokens.create({ project: 'demo', role: 'editor' });
    expect(other.token).not.toBe(token);
  });

  it('keeps no plaintext at rest: the token appears nowhere in Redis, its SHA-256 does', async () => {
    await store.jobs.create('demo', jobInput('some_job'));
    const { token } = await store.tokens.create({ project: '*', role: 'admin' });
    await store.tokens.ensureAdmin('operator-chosen-admin-token-1');
    const dump = await dumpAll();
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice('stratus_'.length));
    expect(dump).not.toContain('operator-chosen-admin-token-1');
    expect(dump).toContain(createHash('sha256').update(token).digest('hex'));
  });

  it('lists grants without secrets and revokes by id', async () => {
    const { token, info } = await store.tokens.create({ project: 'team-b', role: 'viewer' });
    const listed = await store.tokens.list();
    expect(listed).toContainEqual(info);
    expect(JSON.stringify(listed)).not.toContain(token);
    await store.tokens.revoke(info.tokenId);
    expect(await store.tokens.verify(token)).toBeUndefined();
    expect((await store.tokens.list()).map((item) => item.tokenId)).not.toContain(info.tokenId);
    await expect(store.tokens.revoke(info.tokenId)).rejects.toMatchObject({
      reason: 'TOKEN_NOT_FOUND',
      httpStatus: 404,
      message: `Token "${info.tokenId}" not found`,
    });
  });

  it('registers the admin token idempotently, and a new one replaces the old', async () => {
    const first = await store.tokens.ensureAdmin('admin-token-number-one');
    expect(first).toMatchObject({ tokenId: 'admin', project: '*', role: 'admin' });
    expect(await store.tokens.ensureAdmin('admin-token-number-one')).toEqual(first);
    expect((await store.tokens.list()).filter((item) => item.tokenId === 'admin')).toHaveLength(1);
    expect(await store.tokens.verify('admin-token-number-one')).toEqual({
      tokenId: 'admin',
      project: '*',
      role: 'admin',
    });
    await store.tokens.ensureAdmin('admin-token-number-two');
    expect(await store.tokens.verify('admin-token-number-one')).toBeUndefined();
    expect(await store.tokens.verify('admin-token-number-two')).toMatchObject({ role: 'admin' });
    await expect(store.tokens.ensureAdmin('short')).rejects.toMatchObject({
      reason: 'INVALID_CONFIG',
    });
  });

  it('rejects unknown roles and bad projects', async () => {
    await expect(
      store.tokens.create({ project: 'demo', role: 'owner' as 'admin' }),
    ).rejects.toMatchObject({ message: 'role "owner" is not one of viewer, editor, admin' });
    await expect(store.tokens.create({ project: 'Demo!', role: 'viewer' })).rejects.toMatchObject({
      message: 'token project "Demo!" must be a project id or *',
    });
  });
});
