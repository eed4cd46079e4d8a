import { siblingEntry, type NodeEntry } from './trial-process-handle.js';

/** How to run a trial process (`trial-process.js`, or its source under tsx in tests). */
export const trialProcessEntry = (): NodeEntry => siblingEntry('trial-process', import.meta.url);

/** How to run the worker's CLI entry (`main.js`) as a child process, e.g. from `stratus serve`. */
export const workerMainEntry = (): NodeEntry => siblingEntry('main', import.meta.url);
