import { afterAll, describe, expect, it } from 'vitest';
import type { CancelEvent } from './events.js';
import { openTestStore } from '../../../tests/support/test-store.js';

const t = openTestStore();
const { store } = t;
afterAll(() => t.close());

describe('pub/sub', () => {
  it('delivers cancel requests to every subscribed worker', async () => {
    const a: CancelEvent[] = [];
    const b: CancelEvent[] = [];
    const subA = await store.events.subscribeCancel((event) => {
      a.push(event);
    });
    const subB = await store.events.subscribeCancel((event) => {
      b.push(event);
    });
    expect(await store.events.publishCancel('demo', 'job_1')).toBe(2);
    await expect.poll(() => a.length + b.length).toBe(2);
    expect(a).toEqual([{ project: 'demo', jobId: 'job_1' }]);
    expect(b).toEqual(a);
    await subA.close();
    expect(await store.events.publishCancel('demo', 'job_2')).toBe(1);
    await expect.poll(() => b.length).toBe(2);
    expect(a).toHaveLength(1);
    await subB.close();
  });

  it('carries JSON payloads on named channels, isolated by name and prefix', async () => {
    const other = openTestStore();
    const deploys: unknown[] = [];
    const foreign: unknown[] = [];
    const sub = await store.events.subscribe('deploy', (payload) => {
      deploys.push(payload);
    });
    const otherSub = await other.store.events.subscribe('deploy', (payload) => {
      foreign.push(payload);
    });
    await store.events.publish('undeploy', { model: 'm' });
    await store.events.publish('deploy', { model: 'm', version: 'v1', weights: [1, 2] });
    await expect.poll(() => deploys.length).toBe(1);
    expect(deploys).toEqual([{ model: 'm', version: 'v1', weights: [1, 2] }]);
    expect(foreign).toEqual([]);
    await sub.close();
    await otherSub.close();
    await other.close();
    expect(() => store.keys.channel('Bad Name')).toThrow(
      'event name "Bad Name" must be lowercase letters, digits and -',
    );
  });

  it('survives a throwing handler and logs it', async () => {
    const errors: object[] = [];
    const logger = {
      info: () => {},
      warn: () => {},
      debug: () => {},
      error: (obj: object) => void errors.push(obj),
    };
    const logged = openTestStore({ logger });
    const seen: unknown[] = [];
    const sub = await logged.store.events.subscribe('deploy', (payload) => {
      seen.push(payload);
      if (seen.length === 1) throw new Error('handler broke');
    });
    await logged.store.events.publish('deploy', 1);
    await logged.store.events.publish('deploy', 2);
    await expect.poll(() => seen.length).toBe(2);
    expect(errors).toEqual([{ err: new Error('handler broke'), event: 'deploy' }]);
    await sub.close();
    await logged.close();
  });
});
