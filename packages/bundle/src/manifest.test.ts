import { StratusError } from '@stratus/spec';
import { describe, expect, it } from 'vitest';
import { parseManifest, type StratusManifest } from './manifest.js';
import { manifestSignature } from './signature.js';

const URI = 'gs://demo/model/stratus.json';

const table: StratusManifest = {
  format: 'stratus-bundle',
  version: 1,
  algorithm: 'dnn_regressor',
  preprocessing: {
    version: 1,
    features: [
      { kind: 'numeric', name: 'rooms', mean: 6.3, std: 0.7, hasMissing: true },
      { kind: 'categorical', name: 'river', vocabulary: ['no', 'yes'], oov: 2, missing: 3 },
    ],
    label: { kind: 'regression', name: 'price', mean: 22.5, std: 9.2 },
    inputShape: [6],
  },
  metrics: { loss: 0.2, val_loss: null },
  hyperparameters: { hiddenUnits: '32,16' },
  trainingData: 'gs://demo/data/boston.csv',
  epochs: 10,
  tfjsVersion: '4.22.0',
  backend: 'wasm',
  createTime: '2026-01-01T00:00:00.000Z',
};

const problem = (value: unknown): string => {
  try {
    parseManifest(URI, JSON.stringify(value));
  } catch (error) {
    expect(error).toBeInstanceOf(StratusError);
    expect((error as StratusError).reason).toBe('BUNDLE_INVALID');
    return (error as Error).message;
  }
  throw new Error('parsed');
};

describe('parseManifest', () => {
  it('returns a manifest the trainer wrote, a NaN metric (null in JSON) included', () => {
    expect(parseManifest(URI, JSON.stringify(table))).toEqual(table);
  });

  it('names what is wrong: not JSON, not a bundle, a version it cannot read, a bad field', () => {
    const prefix = `Model bundle ${URI} is invalid: stratus.json`;
    expect(() => parseManifest(URI, '{')).toThrow(`${prefix} is not valid JSON`);
    expect(problem([1])).toBe(`${prefix} is not an object`);
    expect(problem({ ...table, format: 'saved-model' })).toBe(
      `${prefix} has no "format": "stratus-bundle"`,
    );
    expect(problem({ ...table, version: 2 })).toBe(`${prefix} has unsupported version 2`);
    const { inputShape: _shape, ...noShape } = table.preprocessing;
    expect(problem({ ...table, preprocessing: noShape })).toBe(
      `${prefix} field "preprocessing.inputShape" is required`,
    );
    const [rooms, river] = table.preprocessing.features;
    const badStd = { ...table.preprocessing, features: [{ ...rooms, std: 'wide' }, river] };
    expect(problem({ ...table, preprocessing: badStd })).toBe(
      `${prefix} field "preprocessing.features[0].std" must be a number (got "wide")`,
    );
  });
});

describe('manifestSignature', () => {
  it('lists a table model’s features with their mean or vocabulary, and its output', () => {
    expect(manifestSignature(table)).toEqual({
      format: 'stratus',
      algorithm: 'dnn_regressor',
      inputs: [
        { name: 'rooms', kind: 'numeric', mean: 6.3 },
        { name: 'river', kind: 'categorical', vocabulary: ['no', 'yes'] },
      ],
      output: { kind: 'regression' },
    });
  });

  it('gives an image feature its shape and a classifier its classes', () => {
    const image: StratusManifest = {
      ...table,
      algorithm: 'image_classifier',
      preprocessing: {
        version: 1,
        features: [{ kind: 'image', name: 'image', height: 28, width: 28, channels: 1 }],
        label: { kind: 'classification', name: 'digit', classes: ['0', '1'] },
        inputShape: [28, 28, 1],
      },
    };
    expect(manifestSignature(image)).toEqual({
      format: 'stratus',
      algorithm: 'image_classifier',
      inputs: [{ name: 'image', kind: 'image', shape: [28, 28, 1] }],
      output: { kind: 'classification', classes: ['0', '1'] },
    });
  });
});
