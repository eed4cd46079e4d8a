import type { ExampleData } from '../evaluate.js';

/**
 * How many threads a trial trains on when it is given `requested`: data-parallel training
 * (parallel-fit.ts) needs the wasm backend and the training data in memory. `note` says why a
 * trial given more than one thread trains on one.
 */
export function trainingThreads(
  requested: number,
  backend: string,
  data: ExampleData['kind'],
): { count: number; note?: string } {
  if (requested <= 1) return { count: 1 };
  const one = (why: string): { count: number; note: string } => ({
    count: 1,
    note: `Training on 1 thread, not ${requested}: ${why}`,
  });
  if (backend === 'tensorflow') return one('the tfjs-node backend is already multi-threaded');
  if (backend !== 'wasm') {
    return one(`data-parallel training needs the wasm backend, not ${backend}`);
  }
  if (data !== 'tensors') {
    return one('the training data is streamed; data-parallel training needs it in memory');
  }
  return { count: requested };
}
