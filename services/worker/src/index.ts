export {
  DEFAULT_WORKER_OPTIONS,
  startWorker,
  type StratusWorker,
  type WorkerOptions,
} from './worker.js';
export { reconcileJobs, type ReconcileReport } from './reconcile.js';
export { createWorkerLogger } from './logger.js';
export { siblingEntry, type NodeEntry } from './trial-process-handle.js';
export { trialProcessEntry, workerMainEntry } from './entries.js';
export type { TrialProcessConfig } from './ipc-protocol.js';
export { closeOnSignals } from './signals.js';
