import { describe, expect, it } from 'vitest';
import { StratusError } from '@stratus/spec';
import { featurize } from './featurize.js';
import type { Preprocessing } from './preprocessing.js';

const preprocessing: Preprocessing = {
  version: 1,
  features: [{ kind: 'image', name: 'image', height: 2, width: 2, channels: 1 }],
  label: { kind: 'classification', name: 'digit', classes: ['0', '1'] },
  inputShape: [2, 2, 1],
};

const failure = (instance: Record<string, unknown>): StratusError => {
  try {
    featurize(preprocessing, instance);
  } catch (error) {
    if (error instanceof StratusError) return error;
    throw error;
  }
  throw new Error('expected INVALID_PREDICT_REQUEST');
};

describe('featurize an image given as pixel values', () => {
  it('takes flat and nested pixel arrays alike', () => {
    const flat = featurize(preprocessing, { image: [0, 0.25, 0.5, 1] });
    expect(Array.from(flat)).toEqual([0, 0.25, 0.5, 1]);
    const nested = featurize(preprocessing, {
      image: [
        [[0], [0.25]],
        [[0.5], [1]],
      ],
    });
    expect(Array.from(nested)).toEqual([0, 0.25, 0.5, 1]);
  });

  it('names the pixel that is not a number, and a wrong pixel count', () => {
    expect(failure({ image: [0, 0.25, 'x', 1] }).message).toBe(
      'Invalid prediction request: feature "image" pixel 2 must be a number, got the string "x"',
    );
    expect(
      failure({
        image: [
          [0, 1],
          [null, 1],
        ],
      }).message,
    ).toBe('Invalid prediction request: feature "image" pixel 2 must be a number, got null');
    expect(failure({ image: [0, 1, 0] }).message).toBe(
      'Invalid prediction request: feature "image" expects 2x2x1 = 4 pixel values, got 3',
    );
  });
});
