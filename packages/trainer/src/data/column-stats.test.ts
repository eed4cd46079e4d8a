import { describe, expect, it } from 'vitest';
import { ColumnStats } from './column-stats.js';
import { FrequencyCounter, RunningMoments } from './running-stats.js';
import { isValidationRow } from './split.js';
import { isMissing, toCategory, toNumber } from '@stratus/bundle';

describe('values', () => {
  it('treats "", NA, NaN, null, N/A in any case, and absent values as missing', () => {
    for (const v of [
      '',
      ' ',
      'NA',
      'na',
      'NaN',
      'nan',
      'null',
      'NULL',
      'N/A',
      'n/a',
      ' NA ',
      null,
      undefined,
      Number.NaN,
    ]) {
      expect(isMissing(v), String(v)).toBe(true);
    }
    for (const v of ['0', 'none', 'NAN1', 'nul', 0, false, 'Nash'])
      expect(isMissing(v), String(v)).toBe(false);
  });

  it('reads plain decimal numbers only', () => {
    expect([' 1.5 ', '-2', '+3.', '.5', '1e3', '2E-2', 7].map(toNumber)).toEqual([
      1.5, -2, 3, 0.5, 1000, 0.02, 7,
    ]);
    for (const v of ['0x10', 'Infinity', '1,5', '1.2.3', 'abc', true, {}])
      expect(toNumber(v), String(v)).toBeNaN();
    expect([' Paris ', 3, true, {}].map(toCategory)).toEqual(['Paris', '3', 'true', undefined]);
  });
});

describe('ColumnStats', () => {
  it('stays numeric with missing values, taking moments from training rows only', () => {
    const stats = new ColumnStats('x', 100);
    for (const [v, training] of [
      ['1', true],
      ['NA', true],
      ['3', true],
      ['100', false],
      ['', false],
    ] as const) {
      stats.observe(v, training);
    }
    expect(stats.numeric).toBe(true);
    expect(stats.trainMissing).toBe(1);
    expect([stats.moments.mean, stats.moments.std]).toEqual([2, 1]);
  });

  it('turns categorical on the first text value, keeping the numbers seen before in its counts', () => {
    const stats = new ColumnStats('code', 100);
    for (const v of ['7', '7', '8', 'x9', '7']) stats.observe(v, true);
    expect(stats.numeric).toBe(false);
    expect(stats.categories.top(10)).toEqual(['7', '8', 'x9']);
    expect(stats.observe({ a: 1 }, true)).toBe('nested');
  });
});

describe('FrequencyCounter', () => {
  it('keeps frequent values and bounded memory over many unique ones', () => {
    const counter = new FrequencyCounter(1000);
    for (let i = 0; i < 100_000; i += 1) {
      counter.add(`id-${i}`);
      if (i % 10 === 0) counter.add('common');
      if (i % 20 === 0) counter.add('rarer');
    }
    expect(counter.size).toBeLessThanOrEqual(1000);
    expect(counter.top(2)).toEqual(['common', 'rarer']);
    expect(counter.get('common')).toBe(10_000);
  });

  it('orders ties by code unit for a deterministic vocabulary', () => {
    const counter = new FrequencyCounter(10);
    for (const v of ['b', 'a', 'c', 'a', 'B']) counter.add(v);
    expect(counter.top(10)).toEqual(['a', 'B', 'b', 'c']);
  });
});

describe('RunningMoments and the split', () => {
  it('matches the two-pass mean and std on large offset values', () => {
    const moments = new RunningMoments();
    const values = Array.from({ length: 1000 }, (_, i) => 1e9 + (i % 7));
    values.forEach((v) => moments.add(v));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(moments.mean).toBeCloseTo(mean, 6);
    expect(moments.std).toBeCloseTo(std, 6);
  });

  it('holds out about the fraction asked, the same rows for a seed, other rows for another', () => {
    const held = (seed: number): number[] =>
      [...Array(20_000).keys()].filter((i) => isValidationRow(seed, i, 0.25));
    const a = held(1);
    expect(a.length / 20_000).toBeGreaterThan(0.24);
    expect(a.length / 20_000).toBeLessThan(0.26);
    expect(held(1)).toEqual(a);
    const b = new Set(held(2));
    const overlap = a.filter((i) => b.has(i)).length / 20_000;
    expect(overlap).toBeGreaterThan(0.05);
    expect(overlap).toBeLessThan(0.075);
    expect(isValidationRow(1, 5, 0)).toBe(false);
  });
});
