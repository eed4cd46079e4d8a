import type { StoreContext } from '../context.js';
import {
  heartbeat,
  listWorkers,
  removeWorker,
  type WorkerInfo,
  type WorkerStatus,
} from '../workers.js';

/** The workers' heartbeats. */
export interface WorkerArea {
  heartbeat(info: WorkerInfo, ttlSeconds: number): Promise<void>;
  list(): Promise<WorkerStatus[]>;
  remove(workerId: string): Promise<void>;
}

export const createWorkerArea = (ctx: StoreContext): WorkerArea => ({
  heartbeat: heartbeat.bind(undefined, ctx),
  list: listWorkers.bind(undefined, ctx),
  remove: removeWorker.bind(undefined, ctx),
});
