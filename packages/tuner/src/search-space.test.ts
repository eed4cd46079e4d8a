import { describe, expect, it } from 'vitest';
import { isStratusError } from '@stratus/spec';
import type { HyperparameterSpec } from '@stratus/spec';
import { compileSearchSpace } from './search-space.js';
import { formatHyperparameters, parseHyperparameters } from './trial.js';

const mixed: HyperparameterSpec = {
  goal: 'MAXIMIZE',
  params: [
    {
      parameterName: 'lr',
      type: 'DOUBLE',
      minValue: 1e-4,
      maxValue: 0.1,
      scaleType: 'UNIT_LOG_SCALE',
    },
    { parameterName: 'layers', type: 'INTEGER', minValue: 1, maxValue: 4 },
    {
      parameterName: 'batch',
      type: 'DISCRETE',
      discreteValues: [16, 32, 64, 128],
      scaleType: 'UNIT_LOG_SCALE',
    },
    {
      parameterName: 'optimizer',
      type: 'CATEGORICAL',
      categoricalValues: ['adam', 'sgd', 'rmsprop'],
    },
  ],
};

const errorOf = (fn: () => unknown): { reason: string; message: string; field?: string } => {
  try {
    fn();
  } catch (error) {
    if (isStratusError(error)) {
      return { reason: error.reason, message: error.message, field: error.violations[0]?.field };
    }
    throw error;
  }
  throw new Error('expected an error');
};

describe('compileSearchSpace', () => {
  it('decodes every cube point to exact legal values of the right type', () => {
    const space = compileSearchSpace(mixed);
    expect(space.featureCount).toBe(1 + 1 + 1 + 3);
    expect(space.size).toBe(Infinity);
    for (let i = 0; i < 500; i += 1) {
      const u = [0, 1, 2, 3].map((d) => (((i * (d + 1) * 0.6180339887) % 1) + 1) % 1);
      const v = space.decode(u);
      expect(typeof v['lr']).toBe('number');
      expect(v['lr']).toBeGreaterThanOrEqual(1e-4);
      expect(v['lr']).toBeLessThanOrEqual(0.1);
      expect([1, 2, 3, 4]).toContain(v['layers']);
      expect([16, 32, 64, 128]).toContain(v['batch']);
      expect(['adam', 'sgd', 'rmsprop']).toContain(v['optimizer']);
    }
  });

  it('gives every integer and discrete value an equal share of the unit interval (linear scale)', () => {
    const space = compileSearchSpace({
      params: [
        { parameterName: 'k', type: 'INTEGER', minValue: 0, maxValue: 4 },
        { parameterName: 'd', type: 'DISCRETE', discreteValues: [0.1, 0.2, 0.7] },
      ],
    });
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i += 1) {
      const v = space.decode([(i + 0.5) / 3000, (i + 0.5) / 3000]);
      for (const key of [`k${v['k']}`, `d${v['d']}`]) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([0, 1, 2, 3, 4].map((k) => counts.get(`k${k}`))).toEqual([600, 600, 600, 600, 600]);
    expect([0.1, 0.2, 0.7].map((d) => counts.get(`d${d}`))).toEqual([1000, 1000, 1000]);
  });

  it('embeds scaled numbers and one-hot categories in [0, 1]', () => {
    const space = compileSearchSpace(mixed);
    const features = Array.from(
      space.encode({ lr: 1e-2 * 0.1 ** 0.5, layers: 4, batch: 32, optimizer: 'sgd' }),
    );
    expect(features[0]).toBeCloseTo(0.5, 12);
    expect(features[1]).toBe(1);
    expect(features[2]).toBeCloseTo(1 / 3, 12);
    expect(features.slice(3)).toEqual([0, 1, 0]);
  });

  it('maps values to cube cells that decode back to the same values', () => {
    const space = compileSearchSpace(mixed);
    const values = { lr: 0.0031, layers: 3, batch: 64, optimizer: 'rmsprop' };
    const back = space.decode(space.toCube(values));
    expect(back['layers']).toBe(3);
    expect(back['batch']).toBe(64);
    expect(back['optimizer']).toBe('rmsprop');
    expect(back['lr']).toBeCloseTo(0.0031, 12);
  });

  it('parses stored strings exactly and formats them back', () => {
    const space = compileSearchSpace(mixed);
    const stored = { lr: '0.0123', layers: '2', batch: '128', optimizer: 'adam' };
    const typed = parseHyperparameters(space, stored);
    expect(typed).toEqual({ lr: 0.0123, layers: 2, batch: 128, optimizer: 'adam' });
    expect(formatHyperparameters(space, typed)).toEqual(stored);
    const odd = { lr: 1e-7 * 3, layers: 1, batch: 16, optimizer: 'sgd' };
    expect(parseHyperparameters(space, formatHyperparameters(space, odd))).toEqual(odd);
  });

  it('names the parameter when a stored value is illegal', () => {
    const space = compileSearchSpace(mixed);
    const base = { lr: '0.01', layers: '2', batch: '32', optimizer: 'adam' };
    expect(errorOf(() => parseHyperparameters(space, { ...base, layers: '2.5' })).message).toBe(
      'Invalid value "2.5" for hyperparameter layers: not an integer',
    );
    expect(errorOf(() => parseHyperparameters(space, { ...base, batch: '48' })).message).toBe(
      'Invalid value "48" for hyperparameter batch: not one of the discrete values 16, 32, 64, 128',
    );
    expect(
      errorOf(() => parseHyperparameters(space, { ...base, optimizer: 'adagrad' })).reason,
    ).toBe('INVALID_HYPERPARAMETER_VALUE');
    expect(
      errorOf(() => parseHyperparameters(space, { lr: '0.01', layers: '2', batch: '32' })).message,
    ).toBe('Invalid value "" for hyperparameter optimizer: missing');
  });

  it.each([
    [{ params: [] }, 'params', 'at least one parameter is required'],
    [
      { params: [{ parameterName: 'a', type: 'DOUBLE', minValue: 1, maxValue: 1 }] },
      'params[0].minValue',
      '1 must be less than maxValue 1',
    ],
    [
      {
        params: [
          {
            parameterName: 'a',
            type: 'DOUBLE',
            minValue: 0,
            maxValue: 1,
            scaleType: 'UNIT_LOG_SCALE',
          },
        ],
      },
      'params[0].minValue',
      'UNIT_LOG_SCALE needs minValue > 0, got 0',
    ],
    [
      { params: [{ parameterName: 'a', type: 'INTEGER', minValue: 0.5, maxValue: 3 }] },
      'params[0].minValue',
      'INTEGER bounds must be integers',
    ],
    [
      { params: [{ parameterName: 'a', type: 'DOUBLE', maxValue: 3 }] },
      'params[0].minValue',
      'required',
    ],
    [
      { params: [{ parameterName: 'a', type: 'DISCRETE', discreteValues: [1, 3, 2] }] },
      'params[0].discreteValues',
      'must be strictly increasing (3, 2)',
    ],
    [
      { params: [{ parameterName: 'a', type: 'CATEGORICAL', categoricalValues: [] }] },
      'params[0].categoricalValues',
      'required and non-empty',
    ],
    [
      { params: [{ parameterName: 'a', type: 'CATEGORICAL', categoricalValues: ['x', 'x'] }] },
      'params[0].categoricalValues[1]',
      '"x" is listed twice',
    ],
    [
      {
        params: [
          { parameterName: 'a', type: 'INTEGER', minValue: 0, maxValue: 3 },
          { parameterName: 'a', type: 'INTEGER', minValue: 0, maxValue: 3 },
        ],
      },
      'params[1].parameterName',
      '"a" is used twice',
    ],
  ])('rejects %j naming %s', (spec, field, fragment) => {
    const error = errorOf(() => compileSearchSpace(spec as HyperparameterSpec));
    expect(error.reason).toBe('INVALID_HYPERPARAMETER_SPEC');
    expect(error.field).toBe(field);
    expect(error.message).toContain(`Invalid hyperparameter spec: ${field}: `);
    expect(error.message).toContain(fragment);
  });
});
