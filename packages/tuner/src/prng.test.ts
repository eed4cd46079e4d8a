import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './prng.js';

describe('createRng', () => {
  it('repeats the same stream for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const first = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(first);
  });

  it('treats a string seed (a job id) as a seed of its own', () => {
    const job = createRng('iris_dnn_1').next();
    expect(createRng('iris_dnn_1').next()).toBe(job);
    expect(createRng('iris_dnn_2').next()).not.toBe(job);
  });

  it('gives uniform numbers in [0, 1) and standard normals', () => {
    const rng = createRng(7);
    const uniforms = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    const mean = uniforms.reduce((s, v) => s + v, 0) / uniforms.length;
    expect(mean).toBeCloseTo(0.5, 2);
    const normals = Array.from({ length: 20_000 }, () => rng.normal());
    const m = normals.reduce((s, v) => s + v, 0) / normals.length;
    const variance = normals.reduce((s, v) => s + (v - m) ** 2, 0) / normals.length;
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('deriveSeed', () => {
  it('changes with every salt and is stable', () => {
    const seeds = new Set([0, 1, 2, 3].map((salt) => deriveSeed(5, salt)));
    expect(seeds.size).toBe(4);
    expect(deriveSeed(5, 1, 2)).toBe(deriveSeed(5, 1, 2));
    expect(deriveSeed(5, 1, 2)).not.toBe(deriveSeed(5, 2, 1));
  });
});
