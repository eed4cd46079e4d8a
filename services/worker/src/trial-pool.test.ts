import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@stratus/config';
import { trialProcessEntry } from './entries.js';
import { silentLogger } from '@stratus/spec';
import { SHARD_TRIAL_WEIGHT, TrialPool } from './trial-pool.js';

const pools: TrialPool[] = [];
const homes: string[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })));
});

const openPool = async (warm: number, maxTrialsPerProcess = 20): Promise<TrialPool> => {
  const home = await mkdtemp(join(tmpdir(), 'stratus-pool-'));
  homes.push(home);
  const config = loadConfig({
    STRATUS_HOME: home,
    STRATUS_TFJS_BACKEND: 'wasm',
    LOG_LEVEL: 'silent',
  });
  const pool = new TrialPool({
    entry: trialProcessEntry(),
    config,
    env: { PATH: process.env.PATH },
    warm,
    maxTrialsPerProcess,
    retireGraceMs: 2_000,
    logger: silentLogger,
  });
  pools.push(pool);
  await pool.start();
  return pool;
};

describe('TrialPool', () => {
  // Regression (load test, 1,000 queued trials): a spare was started beside every busy
  // process and the released process was then retired for it, so a trial process ran one or
  // two trials instead of up to maxTrialsPerProcess and each trial paid for a tfjs load.
  it('reuses the released process instead of starting a spare beside a busy one', async () => {
    const pool = await openPool(1);
    const first = await pool.acquire();
    expect(pool.size).toBe(1);
    pool.release(first, true);
    const second = await pool.acquire();
    expect(second.pid).toBe(first.pid);
    expect(pool.size).toBe(1);
    pool.release(second, true);
  }, 60_000);

  // Regression (bench/batch): the replacement of a process that reached maxTrialsPerProcess
  // started only once its last trial ended, so every 20th shard of a batch job waited for a
  // whole trial-process start (tfjs load) on a worker that ran nothing meanwhile.
  it('starts the replacement of a process while it runs its last trial', async () => {
    const pool = await openPool(1, 2);
    const first = await pool.acquire();
    expect(pool.size).toBe(1);
    pool.release(first, true);
    const last = await pool.acquire();
    expect(last.pid).toBe(first.pid);
    expect(pool.size).toBe(2);
    pool.release(last, true);
    expect(pool.size).toBe(1);
    const next = await pool.acquire();
    expect([next.pid === first.pid, next.alive]).toEqual([false, true]);
    pool.release(next, true);
  }, 60_000);

  // Regression (bench/batch): a batch shard counted as a whole trial, so a worker's process was
  // recycled every 20 shards of a job, each recycle a 3-8 s stall.
  it('counts a batch shard as SHARD_TRIAL_WEIGHT of maxTrialsPerProcess', async () => {
    const pool = await openPool(1, 2);
    const pids: Array<number | undefined> = [];
    // One trial's worth of shards, and one more: a process of maxTrialsPerProcess 2 runs them all.
    for (let shard = 0; shard <= 1 / SHARD_TRIAL_WEIGHT; shard += 1) {
      const handle = await pool.acquire();
      pids.push(handle.pid);
      pool.release(handle, true, SHARD_TRIAL_WEIGHT);
    }
    expect([typeof pids[0], new Set(pids).size]).toEqual(['number', 1]);
  }, 60_000);

  it('replaces a process released as not reusable', async () => {
    const pool = await openPool(1);
    const first = await pool.acquire();
    pool.release(first, false);
    expect(pool.size).toBe(1);
    const next = await pool.acquire();
    expect(next.pid).not.toBe(first.pid);
    expect(next.alive).toBe(true);
    pool.release(next, true);
  }, 60_000);
});
