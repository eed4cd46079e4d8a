import { describe, expect, it } from 'vitest';
import { parsePackedInstances } from './packed-instances.js';

const packed = (text: string) => parsePackedInstances(Buffer.from(text));

/** The fast path's instances equal JSON.parse's, number for number (-0 included). */
const expectSameAsJson = (text: string): void => {
  const result = packed(text);
  expect(result, text).toBeDefined();
  const expected = (JSON.parse(text) as { instances: unknown[] }).instances;
  const actual = result?.toArrays();
  const flat = (value: unknown): unknown[] =>
    Array.isArray(value)
      ? value.flatMap(flat)
      : typeof value === 'object' && value !== null
        ? Object.values(value).flatMap(flat)
        : [value];
  expect(actual).toEqual(expected);
  const [a, b] = [flat(actual), flat(expected)];
  expect(
    a.every((value, i) => Object.is(value, b[i])),
    text,
  ).toBe(true);
};

/** A small deterministic generator (tests must replay). */
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

describe('packed instances', () => {
  it('reads rectangular arrays of plain numbers of any rank, as JSON.parse does', () => {
    for (const text of [
      '{"instances":[[1,2,3]]}',
      '{"instances":[1,2,3]}',
      '{"instances":[[[0.5],[1.25]],[[-0],[7]]]}',
      ' \n{ "instances" :\t[ [ 0 , 0.1 , -0.7 ] , [ 1e0 ] ] } ',
      '{"instances":[[0.1,0.2,0.3,1.005,123456789012345,0.000123,-99.5]]}',
      '{"instances":[[0.0000000000000000000001]]}',
    ]) {
      if (text.includes('1e0')) expect(packed(text)).toBeUndefined();
      else expectSameAsJson(text);
    }
    const result = packed('{"instances":[[[1,2],[3,4],[5,6]],[[7,8],[9,10],[11,12]]]}');
    expect(result?.rows).toBe(2);
    expect(result?.rowShape).toEqual([3, 2]);
    expect([...(result?.values.subarray(0, result.size) ?? [])]).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
  });

  it('gives every double JSON.parse gives for thousands of random bodies', () => {
    const next = random(42);
    const formats = [
      (x: number) => String(Math.round(x * 1000)),
      (x: number) => x.toFixed(Math.floor(next() * 8)),
      (x: number) => String(x).replace(/e.*$/, ''),
      (x: number) => (x * 1e-6).toFixed(12),
      (x: number) => String(Math.fround(x)),
    ];
    for (let round = 0; round < 2000; round += 1) {
      const shape = Array.from(
        { length: 1 + Math.floor(next() * 3) },
        () => 1 + Math.floor(next() * 4),
      );
      const format = formats[round % formats.length] as (x: number) => string;
      const space = (): string => [' ', '', '\n', '\t', ''][Math.floor(next() * 5)] ?? '';
      const build = (depth: number): string =>
        depth === shape.length
          ? format((next() - 0.5) * 512)
          : `[${space()}${Array.from({ length: shape[depth] ?? 1 }, () => build(depth + 1)).join(`${space()},${space()}`)}${space()}]`;
      const text = `{${space()}"instances"${space()}:${space()}${build(0)}${space()}}`;
      const result = packed(text);
      // Formats the fast path leaves alone (17 significant digits, exponents) must fall back.
      if (result === undefined) {
        expect(/\d{16,}|e/i.test(text), text).toBe(true);
        continue;
      }
      expectSameAsJson(text);
    }
  });

  it('leaves every other body to JSON.parse and the checks that name the fault', () => {
    for (const text of [
      '{"instances":[]}',
      '{"instances":[[]]}',
      '{"instances":[[1,2],[3]]}',
      '{"instances":[[1,2],3]}',
      '{"instances":[1,[2]]}',
      '{"instances":[[[1]],[2]]}',
      '{"instances":[[1,"2"]]}',
      '{"instances":[[1,null]]}',
      '{"instances":[[1,true]]}',
      '{"instances":[{"x":1}]}',
      '{"instances":[[1e5]]}',
      '{"instances":[[1E5]]}',
      '{"instances":[[01]]}',
      '{"instances":[[1.]]}',
      '{"instances":[[.5]]}',
      '{"instances":[[-]]}',
      '{"instances":[[+1]]}',
      '{"instances":[[1,]]}',
      '{"instances":[[1 2]]}',
      '{"instances":[[NaN]]}',
      '{"instances":[[0.12345678901234567]]}',
      '{"instances":[[1234567890123456]]}',
      '{"instances":[[1]],"signature_name":"serving_default"}',
      '{"instances":[[1]],"instances":[[2]]}',
      '{"\\u0069nstances":[[1]]}',
      '{"instances":[[1]]}x',
      '{"instances":[[1]]',
      '\ufeff{"instances":[[1]]}',
      '[[1]]',
      '',
      `{"instances":${'['.repeat(12)}1${']'.repeat(12)}}`,
    ]) {
      expect(packed(text), text).toBeUndefined();
    }
  });

  it('reads instances that are objects of one named array, the same key in each', () => {
    for (const text of [
      '{"instances":[{"image":[1,2]},{"image":[3,4]}]}',
      '{"instances":[ { "image" : [[0.5],[0.25]] } ]}',
      '{"instances":[{"":[1]}]}',
    ]) {
      expectSameAsJson(text);
    }
    const result = packed('{"instances":[{"image":[[1,2],[3,4]]},{"image":[[5,6],[7,8]]}]}');
    expect(result?.key).toBe('image');
    expect(result?.rows).toBe(2);
    expect(result?.rowShape).toEqual([2, 2]);
    for (const text of [
      '{"instances":[{"image":[1]},{"picture":[2]}]}',
      '{"instances":[{"image":[1],"mask":[1]}]}',
      '{"instances":[{"image":1}]}',
      '{"instances":[{"image":[1]},[2]]}',
      '{"instances":[[1],{"image":[2]}]}',
      '{"instances":[[{"image":[1]}]]}',
      '{"instances":[{"__proto__":[1]}]}',
      '{"instances":[{"constructor":[1]}]}',
      '{"instances":[{"im\\u0061ge":[1]}]}',
      '{"instances":[{"imäge":[1]}]}',
      '{"instances":[{"image":[1],}]}',
      '{"instances":[{image:[1]}]}',
      '{"instances":[{"image":[1]},{"image":[1,2]}]}',
    ]) {
      expect(packed(text), text).toBeUndefined();
    }
  });

  it('grows past its first buffer for large bodies', () => {
    const rows = Array.from({ length: 50 }, (_, row) =>
      Array.from({ length: 784 }, (_, i) => ((row * 784 + i) % 255) / 255),
    );
    const text = JSON.stringify({ instances: rows });
    const result = packed(text);
    // Long fractions (x/255) take 16–17 digits: those bodies fall back whole.
    expect(result).toBeUndefined();
    const short = JSON.stringify({
      instances: rows.map((row) => row.map((v) => Number(v.toFixed(4)))),
    });
    expectSameAsJson(short);
    expect(packed(short)?.size).toBe(50 * 784);
  });
});
