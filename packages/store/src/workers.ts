import type { StoreContext } from './context.js';
import { assertWorkerId } from './keys.js';
import { execPipeline } from './redis-util.js';

/** What a worker advertises in its heartbeat. */
export interface WorkerInfo {
  readonly workerId: string;
  /** The TensorFlow.js backend it got (`tensorflow`, `wasm`, `cpu`). */
  readonly backend: string;
  /** GPU description, or null without one. */
  readonly gpu: string | null;
  /** Queues it pulls from. */
  readonly queues: readonly string[];
  /** Trials running now. */
  readonly busyTrials: number;
  /** Their ids, `project/job/trial` (absent from heartbeats of older workers). */
  readonly busyTrialIds?: readonly string[];
  /** Trials it runs at once. */
  readonly capacity: number;
  /** 1-minute load average. */
  readonly load: number;
  readonly host: string;
  readonly pid: number;
}

/** A live worker: its info and when it last reported. */
export interface WorkerStatus extends WorkerInfo {
  readonly lastHeartbeatTime: string;
  readonly expireTime: string;
}

/** Report a worker alive for `ttlSeconds` (call again well before it runs out). */
export const heartbeat = async (
  ctx: StoreContext,
  info: WorkerInfo,
  ttlSeconds: number,
): Promise<void> => {
  const { workers } = ctx.keys;
  const now = ctx.now();
  const ttl = Math.max(1, Math.ceil(ttlSeconds));
  const expires = now.getTime() + ttl * 1000;
  const status: WorkerStatus = {
    ...info,
    lastHeartbeatTime: now.toISOString(),
    expireTime: new Date(expires).toISOString(),
  };
  await execPipeline(
    ctx.redis
      .multi()
      .set(workers.worker(info.workerId), JSON.stringify(status), 'EX', ttl)
      .zadd(workers.all, expires, assertWorkerId(info.workerId)),
  );
};

/** Live workers by id; ones whose heartbeat expired are dropped from the set as found. */
export const listWorkers = async (ctx: StoreContext): Promise<WorkerStatus[]> => {
  const { workers } = ctx.keys;
  const ids = await ctx.redis.zrange(workers.all, 0, -1);
  if (ids.length === 0) return [];
  const values = await ctx.redis.mget(ids.map((id) => workers.worker(id)));
  const expired = ids.filter((_, i) => values[i] === null);
  if (expired.length > 0) await ctx.redis.zrem(workers.all, ...expired);
  return values
    .flatMap((value) => (value === null ? [] : [JSON.parse(value) as WorkerStatus]))
    .sort((a, b) => a.workerId.localeCompare(b.workerId));
};

/** Forget a worker at once (on a clean shutdown). */
export const removeWorker = async (ctx: StoreContext, workerId: string): Promise<void> => {
  const { workers } = ctx.keys;
  await execPipeline(
    ctx.redis.multi().unlink(workers.worker(workerId)).zrem(workers.all, workerId),
  );
};
