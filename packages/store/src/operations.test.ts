import { afterAll, describe, expect, it } from 'vitest';
import type { Operation } from '@stratus/spec';
import { openTestStore, stratusFailure } from '../../../tests/support/test-store.js';

let clock = Date.UTC(2024, 4, 1, 12);
const t = openTestStore({ now: () => new Date(clock) });
const { store } = t;
afterAll(() => t.close());

const deploy = (name: string) => ({ name, deploymentUri: `gs://demo/models/${name}` });
const summary = (operation: Operation): [string, string | undefined, boolean] => [
  operation.metadata.operationType,
  operation.metadata.version?.name.split('/').pop(),
  operation.done,
];

describe('operations.list', () => {
  it('lists every operation of the project newest first, as operations.get shows it', async () => {
    await store.models.create('ops', { name: 'm' });
    await store.models.create('ops', { name: 'gone' });
    await store.versions.create('ops', 'm', deploy('v1'));
    clock += 1000;
    await store.versions.create('ops', 'm', deploy('v2'));
    clock += 1000;
    await store.versions.finish('ops', 'm', 'v1', { state: 'READY' });
    await store.versions.delete('ops', 'm', 'v2');
    clock += 1000;
    await store.models.delete('ops', 'gone');
    const { operations, nextPageToken } = await store.models.listOperations('ops');
    expect(nextPageToken).toBeUndefined();
    expect(operations.map(summary)).toEqual([
      ['DELETE_MODEL', undefined, true],
      ['DELETE_VERSION', 'v2', true],
      // v2 is gone: its create operation no longer embeds it.
      ['CREATE_VERSION', undefined, true],
      ['CREATE_VERSION', 'v1', true],
    ]);
    // The create of v2 ended with an error when v2 was deleted while CREATING.
    expect(operations[2]?.error?.message).toContain('it was deleted first');
    for (const operation of operations) {
      const id = operation.name.split('/').pop() ?? '';
      expect(await store.models.getOperation('ops', id)).toEqual(operation);
    }
    expect(await store.models.listOperations('empty')).toEqual({ operations: [] });
  });

  it('filters by done, operation type, model and name', async () => {
    await store.versions.create('ops', 'm', deploy('v3'));
    const types = async (filter: string): Promise<unknown[]> =>
      (await store.models.listOperations('ops', { filter })).operations.map(summary);
    expect(await types('done=false')).toEqual([['CREATE_VERSION', 'v3', false]]);
    expect(await types('metadata.operationType=DELETE_VERSION OR name:delete_gone*')).toEqual([
      ['DELETE_MODEL', undefined, true],
      ['DELETE_VERSION', 'v2', true],
    ]);
    expect(await types('metadata.modelName="projects/ops/models/gone"')).toEqual([
      ['DELETE_MODEL', undefined, true],
    ]);
    expect(await types('metadata.createTime<2024-05-01T12:00:01Z')).toEqual([
      ['CREATE_VERSION', 'v1', true],
    ]);
    const bad = await stratusFailure(store.models.listOperations('ops', { filter: 'state=DONE' }));
    expect(bad.message).toBe(
      'filter: unknown field "state" at position 1; filterable fields: name, done, metadata.operationType, metadata.modelName, metadata.createTime',
    );
  });

  it('pages through operations created in the same millisecond exactly once', async () => {
    await store.models.create('same', { name: 'm' });
    for (let n = 0; n < 7; n += 1) await store.versions.create('same', 'm', deploy(`v${n}`));
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await store.models.listOperations('same', { pageSize: 2, pageToken });
      seen.push(...page.operations.map((operation) => operation.name));
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    // Same time: newest first means by id, descending.
    expect(seen).toEqual([...seen].sort().reverse());
    const wrong = await stratusFailure(
      store.models.listOperations('same', { pageToken: 'djE6eDpmb28' }),
    );
    expect(wrong.violations).toEqual([{ field: 'pageToken', description: 'is malformed' }]);
  });
});
