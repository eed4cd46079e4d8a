import { describe, expect, it } from 'vitest';
import { compareNames, pageNames, pageRequest } from './list-paging.js';

const NAMES = ['a/1', 'a/2', 'a/sub/3', 'ab', 'b', 'c/x/y', 'd'];

describe('pageNames', () => {
  it('returns everything under the prefix when no delimiter is given', () => {
    expect(pageNames(NAMES, 'a', pageRequest())).toEqual({
      objectNames: ['a/1', 'a/2', 'a/sub/3', 'ab'],
      prefixes: [],
    });
  });

  it('groups at the first delimiter after the prefix', () => {
    expect(pageNames(NAMES, '', pageRequest({ delimiter: '/' }))).toEqual({
      objectNames: ['ab', 'b', 'd'],
      prefixes: ['a/', 'c/'],
    });
    expect(pageNames(NAMES, 'c/', pageRequest({ delimiter: '/' }))).toEqual({
      objectNames: [],
      prefixes: ['c/x/'],
    });
  });

  it('counts objects and prefixes against one page size and resumes after the token', () => {
    const first = pageNames(NAMES, '', pageRequest({ delimiter: '/', pageSize: 3 }));
    expect(first).toEqual({ objectNames: ['ab', 'b'], prefixes: ['a/'], nextPageToken: 'b' });
    const second = pageNames(
      NAMES,
      '',
      pageRequest({ delimiter: '/', pageSize: 3, pageToken: 'b' }),
    );
    expect(second).toEqual({ objectNames: ['d'], prefixes: ['c/'] });
  });

  it('supports multi-character delimiters', () => {
    const names = ['x--1', 'x--2', 'y'];
    expect(pageNames(names, '', pageRequest({ delimiter: '--' }))).toEqual({
      objectNames: ['y'],
      prefixes: ['x--'],
    });
  });
});

describe('pageRequest', () => {
  it('defaults to and caps at 1000 results per page', () => {
    expect(pageRequest().pageSize).toBe(1000);
    expect(pageRequest({ pageSize: 5000 }).pageSize).toBe(1000);
    expect(pageRequest({ pageToken: '' })).toEqual({ pageSize: 1000 });
  });

  it.each([[0], [-3], [1.5], [Number.NaN]])('rejects pageSize %s', (pageSize) => {
    expect(() => pageRequest({ pageSize })).toThrow('"pageSize" must be a positive integer');
  });
});

describe('compareNames', () => {
  it('orders by code point (UTF-8 bytes) like GCS, not by UTF-16 units', () => {
    // U+FFFD sorts before U+1F600 in UTF-8, though its UTF-16 unit is larger than the surrogate's.
    expect(['😀', '\ufffd', 'z'].sort(compareNames)).toEqual(['z', '\ufffd', '😀']);
    expect(['ab', 'a', 'a/b', 'a-b'].sort(compareNames)).toEqual(['a', 'a-b', 'a/b', 'ab']);
    expect(compareNames('same', 'same')).toBe(0);
  });
});
