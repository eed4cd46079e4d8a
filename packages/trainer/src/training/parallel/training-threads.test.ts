import { describe, expect, it } from 'vitest';
import { trainingThreads } from './training-threads.js';

describe('trainingThreads', () => {
  it('gives in-memory data on wasm the threads asked for', () => {
    expect(trainingThreads(2, 'wasm', 'tensors')).toEqual({ count: 2 });
    expect(trainingThreads(1, 'tensorflow', 'dataset')).toEqual({ count: 1 });
  });

  it('trains on one thread, saying why, on tfjs-node, cpu or streamed data', () => {
    expect(trainingThreads(4, 'tensorflow', 'tensors')).toEqual({
      count: 1,
      note: 'Training on 1 thread, not 4: the tfjs-node backend is already multi-threaded',
    });
    expect(trainingThreads(2, 'cpu', 'tensors').note).toBe(
      'Training on 1 thread, not 2: data-parallel training needs the wasm backend, not cpu',
    );
    expect(trainingThreads(2, 'wasm', 'dataset').note).toBe(
      'Training on 1 thread, not 2: the training data is streamed; data-parallel training needs it in memory',
    );
  });
});
