import { describe, expect, it } from 'vitest';
import { StratusError } from '@stratus/spec';
import { applyFieldMask, parseFieldMask } from './field-mask.js';

const masked = (value: unknown, mask: string): unknown =>
  applyFieldMask(value, parseFieldMask(mask));

const page = {
  jobs: [
    { jobId: 'a', state: 'QUEUED', labels: { team: 'ml', env: 'dev' } },
    { jobId: 'b', state: 'FAILED', labels: { team: 'ops' } },
  ],
  nextPageToken: 't1',
};

describe('parseFieldMask and applyFieldMask', () => {
  it('keeps top-level names and sub-selections of each array element', () => {
    expect(masked(page, 'jobs(jobId,state),nextPageToken')).toEqual({
      jobs: [
        { jobId: 'a', state: 'QUEUED' },
        { jobId: 'b', state: 'FAILED' },
      ],
      nextPageToken: 't1',
    });
  });

  it('nests with a/b and merges paths that share a prefix', () => {
    expect(masked(page, 'jobs/labels/team,jobs/jobId')).toEqual({
      jobs: [
        { jobId: 'a', labels: { team: 'ml' } },
        { jobId: 'b', labels: { team: 'ops' } },
      ],
    });
    expect(masked(page, 'jobs(labels(env))')).toEqual({
      jobs: [{ labels: { env: 'dev' } }, { labels: {} }],
    });
  });

  it('selects every field with * and lets a whole selection win over a partial one', () => {
    expect(masked({ a: { x: 1, y: 2 }, b: 3 }, '*')).toEqual({ a: { x: 1, y: 2 }, b: 3 });
    expect(masked(page, 'jobs(*)')).toEqual({ jobs: page.jobs });
    expect(masked({ a: { x: 1, y: 2 } }, 'a/x,a')).toEqual({ a: { x: 1, y: 2 } });
    expect(masked({ a: { x: 1, y: 2 } }, 'a,a/x')).toEqual({ a: { x: 1, y: 2 } });
  });

  it('leaves unknown names absent and drops a scalar the mask reaches inside', () => {
    expect(masked(page, 'noSuch,nextPageToken/deeper')).toEqual({});
    expect(masked({ 'metadata.@type': 1, 'a-b': 2 }, 'metadata.@type,a-b')).toEqual({
      'metadata.@type': 1,
      'a-b': 2,
    });
  });

  it('refuses a malformed mask, naming the position', () => {
    const cases: [string, string][] = [
      ['', 'expected a field name at position 1, found the end'],
      ['a,', 'expected a field name at position 3, found the end'],
      ['a(b', 'expected "," or ")" at position 4, found the end'],
      ['a)', 'expected "," or the end at position 2, found ")"'],
      ['a b', 'expected "," or the end at position 2, found " "'],
      ['a()', 'expected a field name at position 3, found ")"'],
      ['/a', 'expected a field name at position 1, found "/"'],
    ];
    for (const [mask, detail] of cases) {
      expect(() => parseFieldMask(mask), mask).toThrow(
        `fields: malformed mask "${mask}": ${detail}`,
      );
    }
  });

  it('fuzz: any string parses or is refused with a StratusError, never anything else', () => {
    const alphabet = ['a', 'b', '*', ',', '/', '(', ')', ' ', '.', '$', '\u00e9'];
    // A seeded LCG, so a failure replays.
    let seed = 20;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    let parsed = 0;
    for (let i = 0; i < 5000; i += 1) {
      const length = next(12);
      let mask = '';
      for (let j = 0; j < length; j += 1) mask += alphabet[next(alphabet.length)] ?? '';
      try {
        const tree = parseFieldMask(mask);
        parsed += 1;
        expect(applyFieldMask(page, tree)).toBeTypeOf('object');
      } catch (error) {
        expect(error, mask).toBeInstanceOf(StratusError);
        expect((error as StratusError).httpStatus).toBe(400);
      }
    }
    // The seeded strings reach both outcomes.
    expect(parsed).toBeGreaterThan(50);
  });
});
