import { afterAll, describe, expect, it } from 'vitest';
import type { ModelInput } from '@stratus/spec';
import type { DeployEvent } from './deploy-events.js';
import { etagOf } from './etag.js';
import { openTestStore, stratusFailure } from '../../../tests/support/test-store.js';

const NOW = '2024-05-01T12:00:00.000Z';
const t = openTestStore({ now: () => new Date(NOW) });
const { store } = t;
afterAll(() => t.close());

const deploy = (version: string) => ({
  name: version,
  deploymentUri: `gs://demo/models/${version}`,
});

describe('models', () => {
  it('creates a model, reads it back, and refuses a taken name with 409', async () => {
    const created = await store.models.create('demo', {
      name: 'iris',
      description: 'flowers',
      labels: { team: 'ml' },
    });
    expect(created).toEqual({
      name: 'projects/demo/models/iris',
      description: 'flowers',
      labels: { team: 'ml' },
      createTime: NOW,
      etag: etagOf('1'),
    });
    expect(await store.models.get('demo', 'iris')).toEqual(created);
    const taken = await stratusFailure(store.models.create('demo', { name: 'iris' }));
    expect([taken.reason, taken.httpStatus, taken.message]).toEqual([
      'MODEL_ALREADY_EXISTS',
      409,
      'Model "projects/demo/models/iris" already exists',
    ]);
    const missing = await stratusFailure(store.models.get('demo', 'nope'));
    expect([missing.reason, missing.message]).toEqual([
      'MODEL_NOT_FOUND',
      'Model "projects/demo/models/nope" not found',
    ]);
    expect(await store.models.find('other', 'iris')).toBeUndefined();
  });

  it('lists models in name order, a page at a time', async () => {
    for (const name of ['m_c', 'm_a', 'm_b', 'm_d']) await store.models.create('paged', { name });
    const first = await store.models.list('paged', { pageSize: 3 });
    expect(first.models.map((model) => model.name.split('/').pop())).toEqual(['m_a', 'm_b', 'm_c']);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const second = await store.models.list('paged', {
      pageSize: 3,
      pageToken: first.nextPageToken,
    });
    expect(second).toEqual({
      models: [expect.objectContaining({ name: 'projects/paged/models/m_d' })],
    });
    expect((await store.models.list('empty')).models).toEqual([]);
    const bad = await stratusFailure(store.models.list('paged', { pageToken: '../x' }));
    expect([bad.reason, bad.violations[0]?.field]).toEqual(['INVALID_ARGUMENT', 'pageToken']);
  });

  it('filters models by name, description and labels, paging through what matches', async () => {
    const models: ModelInput[] = [
      { name: 'f_census', description: 'income', labels: { team: 'a' } },
      { name: 'f_iris', description: 'flowers', labels: { team: 'b' } },
      { name: 'f_mnist', labels: { team: 'a', big: 'yes' } },
      { name: 'f_rnn', description: 'text' },
    ];
    for (const model of models) await store.models.create('filtered', model);
    const names = async (filter: string, pageSize?: number): Promise<unknown[]> =>
      (await store.models.list('filtered', { filter, pageSize })).models.map((model) =>
        model.name.split('/').pop(),
      );
    expect(await names('labels.team=a')).toEqual(['f_census', 'f_mnist']);
    expect(await names('name:f_*  NOT labels:big')).toEqual(['f_census', 'f_iris', 'f_rnn']);
    expect(await names('description:* OR labels.big=yes')).toEqual(models.map((m) => m.name));
    expect(await names('name>f_iris AND name<=f_rnn')).toEqual(['f_mnist', 'f_rnn']);
    const first = await store.models.list('filtered', { filter: 'labels.team=a', pageSize: 1 });
    const second = await store.models.list('filtered', {
      filter: 'labels.team = "a"',
      pageSize: 1,
      pageToken: first.nextPageToken,
    });
    expect(second.models.map((model) => model.name)).toEqual(['projects/filtered/models/f_mnist']);
    // A full page does not look ahead for matches: the last page may be empty.
    const third = await store.models.list('filtered', {
      filter: 'labels.team=a',
      pageSize: 1,
      pageToken: second.nextPageToken,
    });
    expect(third).toEqual({ models: [] });
    const other = await stratusFailure(
      store.models.list('filtered', { filter: 'labels.team=b', pageToken: first.nextPageToken }),
    );
    expect(other.violations).toEqual([
      { field: 'pageToken', description: 'belongs to another filter' },
    ]);
    const unknown = await stratusFailure(store.models.list('filtered', { filter: 'state=READY' }));
    expect(unknown.message).toBe(
      'filter: unknown field "state" at position 1; filterable fields: name, description, createTime, labels.<key>',
    );
  });

  it('embeds the default version and refuses to delete a model that has versions', async () => {
    await store.models.create('demo', { name: 'busy' });
    await store.versions.create('demo', 'busy', deploy('v1'));
    const model = await store.models.get('demo', 'busy');
    expect(model.defaultVersion).toMatchObject({
      name: 'projects/demo/models/busy/versions/v1',
      state: 'CREATING',
      isDefault: true,
    });
    const refused = await stratusFailure(store.models.delete('demo', 'busy'));
    expect([refused.reason, refused.httpStatus, refused.message]).toEqual([
      'MODEL_HAS_VERSIONS',
      400,
      'Model "projects/demo/models/busy" still has 1 version(s); delete them first',
    ]);
    await store.versions.delete('demo', 'busy', 'v1');
    const operation = await store.models.delete('demo', 'busy');
    expect(operation).toMatchObject({
      done: true,
      metadata: { operationType: 'DELETE_MODEL', modelName: 'projects/demo/models/busy' },
      response: { '@type': 'type.googleapis.com/google.protobuf.Empty' },
    });
    expect(operation.name).toMatch(/^projects\/demo\/operations\/delete_busy-\d+-[0-9a-f]{4}$/);
    expect(await store.models.getOperation('demo', operation.name.split('/').pop() ?? '')).toEqual(
      operation,
    );
    expect(await store.models.find('demo', 'busy')).toBeUndefined();
    expect((await stratusFailure(store.models.delete('demo', 'busy'))).reason).toBe(
      'MODEL_NOT_FOUND',
    );
  });

  it('publishes every change on the deploy channel, in order', async () => {
    const events: DeployEvent[] = [];
    const subscription = await store.events.subscribeDeploys((event) => {
      events.push(event);
    });
    await store.models.create('demo', { name: 'evented' });
    await store.versions.create('demo', 'evented', deploy('v1'));
    await store.versions.create('demo', 'evented', deploy('v2'));
    await store.versions.finish('demo', 'evented', 'v1', { state: 'READY' });
    await store.versions.finish('demo', 'evented', 'v2', { state: 'READY' });
    await store.versions.setDefault('demo', 'evented', 'v2');
    await store.versions.delete('demo', 'evented', 'v1');
    await store.versions.delete('demo', 'evented', 'v2');
    await store.models.delete('demo', 'evented');
    await expect.poll(() => events.length).toBe(8);
    const base = { project: 'demo', model: 'evented' };
    expect(events).toEqual([
      { ...base, type: 'create', version: 'v1' },
      { ...base, type: 'create', version: 'v2' },
      { ...base, type: 'ready', version: 'v1' },
      { ...base, type: 'ready', version: 'v2' },
      { ...base, type: 'set-default', version: 'v2' },
      { ...base, type: 'delete', version: 'v1' },
      { ...base, type: 'delete', version: 'v2' },
      { ...base, type: 'delete-model' },
    ]);
    await subscription.close();
  });
});
