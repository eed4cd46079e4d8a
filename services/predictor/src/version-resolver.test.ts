import type { Model, Version } from '@stratus/spec';
import type { StoreAreas } from '@stratus/store';
import { describe, expect, it } from 'vitest';
import { VersionResolver } from './version-resolver.js';

/** A store holding one model `m` of project `p`, counting the lookups the resolver makes. */
const storeWith = (deploymentUri: () => string) => {
  const calls = { getVersion: 0, getModel: 0 };
  const version = (): Version => ({
    name: 'projects/p/models/m/versions/v1',
    deploymentUri: deploymentUri(),
    framework: 'TENSORFLOW_JS',
    state: 'READY',
    isDefault: true,
    createTime: '2026-12-07T00:00:00.000Z',
  });
  // The resolver reads only these two methods of the store.
  const versions = {
    get: async (): Promise<Version> => {
      calls.getVersion += 1;
      return version();
    },
  };
  const models = {
    get: async (): Promise<Model> => {
      calls.getModel += 1;
      return {
        name: 'projects/p/models/m',
        createTime: '2026-12-07T00:00:00.000Z',
        defaultVersion: version(),
      };
    },
  };
  const store = { versions, models } as unknown as StoreAreas<'models' | 'versions'>;
  return { store, calls };
};

describe('VersionResolver', () => {
  it('answers a target from its cache until invalidated, each target cached apart', async () => {
    let uri = 'gs://b/one';
    const { store, calls } = storeWith(() => uri);
    const resolver = new VersionResolver(store, 60_000);
    const byVersion = { project: 'p', model: 'm', version: 'v1' };
    const byModel = { project: 'p', model: 'm' };
    expect((await resolver.resolve(byVersion)).deploymentUri).toBe('gs://b/one');
    expect((await resolver.resolve(byModel)).key).toBe('p/m/v1');
    uri = 'gs://b/two';
    expect((await resolver.resolve(byVersion)).deploymentUri).toBe('gs://b/one');
    expect((await resolver.resolve(byModel)).deploymentUri).toBe('gs://b/one');
    expect(calls).toEqual({ getVersion: 1, getModel: 1 });
    resolver.invalidate('p', 'other');
    expect((await resolver.resolve(byVersion)).deploymentUri).toBe('gs://b/one');
    resolver.invalidate('p', 'm');
    expect((await resolver.resolve(byVersion)).deploymentUri).toBe('gs://b/two');
    expect((await resolver.resolve(byModel)).deploymentUri).toBe('gs://b/two');
    expect(calls).toEqual({ getVersion: 2, getModel: 2 });
  });

  it('does not keep an answer looked up before an invalidation that came meanwhile', async () => {
    const { store, calls } = storeWith(() => 'gs://b/one');
    const resolver = new VersionResolver(store, 60_000);
    const target = { project: 'p', model: 'm', version: 'v1' };
    const racing = resolver.resolve(target);
    resolver.invalidate('p', 'm');
    await racing;
    await resolver.resolve(target);
    expect(calls.getVersion).toBe(2);
    await resolver.resolve(target);
    expect(calls.getVersion).toBe(2);
  });

  it('caches nothing with a TTL of 0', async () => {
    const { store, calls } = storeWith(() => 'gs://b/one');
    const resolver = new VersionResolver(store, 0);
    const target = { project: 'p', model: 'm', version: 'v1' };
    await resolver.resolve(target);
    await resolver.resolve(target);
    expect(calls.getVersion).toBe(2);
  });
});
