import { hostname, loadavg } from 'node:os';
import type { StoreAreas, WorkerInfo } from '@stratus/store';
import type { BackendInfo } from '@stratus/bundle';
import type { Logger } from '@stratus/spec';

/** What the heartbeat reads from the worker each time. */
export interface HeartbeatSource {
  readonly workerId: string;
  readonly backend: BackendInfo;
  readonly queues: readonly string[];
  readonly capacity: number;
  /** Trial ids (`project/job/trial`) running now. */
  busyTrialIds(): string[];
}

/** The heartbeat record: the store's WorkerInfo plus the GPU model and the busy trials. */
export const heartbeatInfo = (
  source: HeartbeatSource,
): WorkerInfo & { readonly device: string | null } => {
  const busy = source.busyTrialIds();
  const { backend } = source;
  return {
    workerId: source.workerId,
    backend: backend.name,
    gpu: backend.gpu ? (backend.device ?? 'GPU') : null,
    device: backend.device ?? null,
    queues: [...source.queues],
    busyTrials: busy.length,
    busyTrialIds: busy,
    capacity: source.capacity,
    load: loadavg()[0] ?? 0,
    host: hostname(),
    pid: process.pid,
  };
};

/**
 * Report the worker alive every `intervalMs` with a TTL of three intervals,
 * so `GET /v1/workers` drops a worker that died within a few seconds.
 * Returns the function that stops it.
 */
export const startHeartbeat = (
  store: StoreAreas<'workers'>,
  source: HeartbeatSource,
  intervalMs: number,
  logger: Logger,
  onTick?: () => Promise<void>,
): { stop(): void; beat(): Promise<void> } => {
  const ttlSeconds = Math.max(1, Math.ceil((3 * intervalMs) / 1000));
  const beat = async (): Promise<void> => {
    try {
      await store.workers.heartbeat(heartbeatInfo(source), ttlSeconds);
      await onTick?.();
    } catch (error) {
      logger.warn({ err: error }, 'heartbeat failed');
    }
  };
  const timer = setInterval(() => void beat(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), beat };
};
