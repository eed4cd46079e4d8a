import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectSlots, type ProjectSlots } from './project-slots.js';
import { openTestStore, type TestStore } from '../../../tests/support/test-store.js';

let t: TestStore;
let slots: ProjectSlots;
let other: ProjectSlots;
beforeAll(() => {
  t = openTestStore();
  slots = createProjectSlots(t.redis, t.prefix);
  // A second worker's connection.
  other = createProjectSlots(t.connect(), t.prefix);
});
afterAll(() => t.close());

const LEASE = 60_000;

describe('project running-trial slots', () => {
  it('grants up to the limit across connections, per project, and frees a released slot', async () => {
    expect(await slots.acquire('alpha', 'j/1/w1', 2, LEASE)).toEqual({ ok: true });
    expect(await other.acquire('alpha', 'j/2/w2', 2, LEASE)).toEqual({ ok: true });
    expect(await other.acquire('alpha', 'j/3/w2', 2, LEASE)).toEqual({ ok: false, held: 2 });
    // Another project has slots of its own; a holder that has a slot keeps it.
    expect(await slots.acquire('beta', 'j/1/w1', 2, LEASE)).toEqual({ ok: true });
    expect(await slots.acquire('alpha', 'j/1/w1', 2, LEASE)).toEqual({ ok: true });
    await slots.release('alpha', 'j/1/w1');
    expect(await other.acquire('alpha', 'j/3/w2', 2, LEASE)).toEqual({ ok: true });
    expect((await slots.holders('alpha')).sort()).toEqual(['j/2/w2', 'j/3/w2']);
  });

  it('grants exactly the limit when acquires race', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? slots : other).acquire('race', `j/${i}/w`, 3, LEASE),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(3);
    expect(await slots.holders('race')).toHaveLength(3);
  });

  it("lets a dead worker's slot lapse after its lease while a renewed one stays", async () => {
    const lease = 300;
    expect(await slots.acquire('crash', 'j/1/dead', 2, lease)).toEqual({ ok: true });
    expect(await slots.acquire('crash', 'j/2/alive', 2, lease)).toEqual({ ok: true });
    // The live worker renews with its heartbeat; the dead one never does.
    let next: { ok: boolean } = { ok: false };
    while (!next.ok) {
      await slots.renew([{ project: 'crash', holder: 'j/2/alive' }], lease);
      next = await other.acquire('crash', 'j/3/new', 2, lease);
      await sleep(50);
    }
    await slots.renew([{ project: 'crash', holder: 'j/2/alive' }], LEASE);
    await slots.renew([{ project: 'crash', holder: 'j/3/new' }], LEASE);
    expect((await slots.holders('crash')).sort()).toEqual(['j/2/alive', 'j/3/new']);
    // A lapsed holder is not revived by a renew.
    await slots.renew([{ project: 'crash', holder: 'j/1/dead' }], LEASE);
    expect((await slots.holders('crash')).sort()).toEqual(['j/2/alive', 'j/3/new']);
  });
});
