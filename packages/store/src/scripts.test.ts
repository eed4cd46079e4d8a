import { readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LUA_DIR } from './commands/loader.js';
import { RENEW_PROJECT_SLOTS } from './commands/project-slots.js';
import { STORE_COMMANDS, defineScripts } from './scripts.js';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
afterAll(() => redis.disconnect());

describe('the store commands', () => {
  it('are one per file in lua/, named stratus + the file name in PascalCase', () => {
    const files = readdirSync(LUA_DIR).filter((file) => file.endsWith('.lua'));
    const names = files.map(
      (file) =>
        `stratus${file.slice(0, -'.lua'.length).replace(/(?:^|-)([a-z])/g, (_, c: string) => c.toUpperCase())}`,
    );
    // The literal type the command's ioredis method is keyed by (src/scripts.ts) is its name too.
    const typed: 'stratusRenewProjectSlots' = RENEW_PROJECT_SLOTS.name;
    expect(names).toContain(typed);
    expect(STORE_COMMANDS.map((command) => command.name).sort()).toEqual(names.sort());
  });

  it('are methods of a connection and of its pipelines, once defined', () => {
    defineScripts(redis);
    const pipeline = redis.pipeline();
    for (const { name } of STORE_COMMANDS) {
      expect([name, typeof redis[name], typeof pipeline[name]]).toEqual([
        name,
        'function',
        'function',
      ]);
    }
  });
});
