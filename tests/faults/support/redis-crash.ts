/**
 * Crash the fault Redis the way `appendfsync everysec` allows: SIGKILL it,
 * then cut its AOF to what a machine crash could keep, losing the writes of
 * the last `lostMs`. A write probe running up to the kill measures both.
 */
import { cutAofAfter, readAof } from './aof-tail.js';
import type { FaultRedis } from './redis-server.js';
import type { AckedWrite, WriteProbe } from './write-probe.js';

export interface RedisCrash {
  readonly killedAt: number;
  /** Acknowledged probe writes the SIGKILL alone lost (missing from the AOF). */
  readonly killLost: readonly AckedWrite[];
  /** The last probe write kept: the AOF ends just after it. */
  readonly cut: AckedWrite;
  /** How long before the kill that write was acknowledged. */
  readonly lostWindowMs: number;
  readonly bytesCut: number;
}

/** SIGKILL `redis` (stopping `probe`), then drop every write after the last `lostMs` before the kill. */
export const crashRedis = async (
  redis: FaultRedis,
  probe: WriteProbe,
  lostMs = 1_000,
): Promise<RedisCrash> => {
  const killedAt = Date.now();
  await redis.kill();
  await probe.stop();
  const written = new Set((await readAof(redis.dir)).map((command) => command.args.at(-1)));
  const killLost = probe.acked.filter((write) => !written.has(write.value));
  const cut = probe.acked
    .filter((write) => write.ackedAt <= killedAt - lostMs && written.has(write.value))
    .at(-1);
  if (cut === undefined) throw new Error(`the probe wrote nothing ${lostMs} ms before the kill`);
  const bytesCut = await cutAofAfter(redis.dir, cut.value);
  return { killedAt, killLost, cut, lostWindowMs: killedAt - cut.ackedAt, bytesCut };
};
