// Starts a gradient thread from TypeScript source (tests, `tsx` runs): registers tsx's loader
// in this thread, then imports the entry. Built code starts gradient-thread.js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
