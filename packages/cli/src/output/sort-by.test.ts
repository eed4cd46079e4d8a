import { describe, expect, it } from 'vitest';
import { parseSortByFlag, sortByKeys } from './sort-by.js';

const items = [
  { name: 'b', n: 10, labels: { team: 'x' } },
  { name: 'a', n: 9 },
  { name: 'c', n: 10, labels: { team: 'w' } },
];
const names = (sorted: readonly { name: string }[]): string[] => sorted.map((i) => i.name);

describe('--sort-by', () => {
  it('parses comma lists and repeated flags, ~ for descending', () => {
    const first = parseSortByFlag('~n, name');
    expect(first).toEqual([
      { field: 'n', descending: true },
      { field: 'name', descending: false },
    ]);
    expect(parseSortByFlag('labels.team', first)).toEqual([
      ...first,
      { field: 'labels.team', descending: false },
    ]);
    expect(() => parseSortByFlag('~')).toThrow('"~" is not a field (use FIELD or ~FIELD).');
    expect(() => parseSortByFlag('a b')).toThrow('"a b" is not a field');
    expect(() => parseSortByFlag(',')).toThrow('names no field.');
  });

  it('sorts numbers by value and text in code-point order, key after key', () => {
    expect(names(sortByKeys(items, parseSortByFlag('n')))).toEqual(['a', 'b', 'c']);
    expect(names(sortByKeys(items, parseSortByFlag('~n,~name')))).toEqual(['c', 'b', 'a']);
    expect(names(sortByKeys(items, parseSortByFlag('~name')))).toEqual(['c', 'b', 'a']);
    expect(names(sortByKeys(items, parseSortByFlag('n,~name')))).toEqual(['a', 'c', 'b']);
  });

  it('puts items without the field last in both directions and keeps ties in order', () => {
    expect(names(sortByKeys(items, parseSortByFlag('labels.team')))).toEqual(['c', 'b', 'a']);
    expect(names(sortByKeys(items, parseSortByFlag('~labels.team')))).toEqual(['b', 'c', 'a']);
    expect(names(sortByKeys(items, parseSortByFlag('missing')))).toEqual(['b', 'a', 'c']);
  });
});
