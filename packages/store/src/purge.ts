import type { Redis } from 'ioredis';
import { createKeys } from './keys.js';

/**
 * Unlink every key of one Stratus installation (`prefix`), BullMQ's queues
 * included, by SCAN (never KEYS); returns how many went. For tests, benches
 * and tearing down a throwaway installation — never a live one.
 */
export const purgePrefix = async (redis: Redis, prefix: string): Promise<number> => {
  const pattern = `${createKeys(prefix).all}*`;
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) count += await redis.unlink(...keys);
  } while (cursor !== '0');
  return count;
};
