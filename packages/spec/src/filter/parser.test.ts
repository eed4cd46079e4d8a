import { describe, expect, it } from 'vitest';
import { thrown } from '../errors.test-support.js';
import { formatFilter } from './ast.js';
import { parseFilter } from './parser.js';

const canonical = (filter: string): string => formatFilter(parseFilter(filter));

const errorOf = (filter: string): { message: string; field: string | undefined } => {
  const error = thrown(() => parseFilter(filter));
  expect(error.reason).toBe('INVALID_ARGUMENT');
  return { message: error.message, field: error.violations[0]?.field };
};

describe('parseFilter', () => {
  it('reads an empty or blank filter as no filter', () => {
    expect(parseFilter(undefined)).toBeUndefined();
    expect(parseFilter('  \t')).toBeUndefined();
  });

  it('reads a restriction with its positions', () => {
    expect(parseFilter('  labels.team = "a b"')).toEqual({
      kind: 'restriction',
      field: 'labels.team',
      comparator: '=',
      value: 'a b',
      fieldPosition: 3,
      valuePosition: 17,
    });
  });

  it('reads every comparator', () => {
    expect(['=', '!=', '<', '<=', '>', '>=', ':'].map((op) => canonical(`a${op}1`))).toEqual([
      'a="1"',
      'a!="1"',
      'a<"1"',
      'a<="1"',
      'a>"1"',
      'a>="1"',
      'a:"1"',
    ]);
  });

  it('binds OR tighter than AND, as AIP-160 says', () => {
    expect(canonical('a=1 AND b=2 OR c=3')).toBe('(a="1" AND (b="2" OR c="3"))');
    expect(canonical('a=1 OR b=2 AND c=3')).toBe('((a="1" OR b="2") AND c="3")');
    expect(canonical('(a=1 AND b=2) OR c=3')).toBe('((a="1" AND b="2") OR c="3")');
  });

  it('reads juxtaposition as AND, looser than OR', () => {
    expect(canonical('a=1 b=2 OR c=3')).toBe('(a="1" AND (b="2" OR c="3"))');
    expect(canonical('a=1 b=2 AND c=3')).toBe('(a="1" AND b="2" AND c="3")');
  });

  it('negates with NOT and with a "-" directly before the term', () => {
    expect(canonical('NOT a=1 -b:2 -(c=3 OR d=4)')).toBe(
      '(NOT a="1" AND NOT b:"2" AND NOT (c="3" OR d="4"))',
    );
  });

  it('reads bare values up to a space or parenthesis, with ":" "-" and "*" inside', () => {
    expect(canonical('jobId:rnn* AND state:FAILED')).toBe('(jobId:"rnn*" AND state:"FAILED")');
    expect(canonical('(createTime>=2024-05-01T00:00:00Z)')).toBe(
      'createTime>="2024-05-01T00:00:00Z"',
    );
    expect(canonical('a=-1')).toBe('a="-1"');
  });

  it('unescapes quoted strings, in double or single quotes', () => {
    expect(parseFilter(String.raw`a="x \"y\" \\ \n"`)).toMatchObject({ value: 'x "y" \\ \n' });
    expect(parseFilter(`a='it\\'s' OR "b c"=d`)).toMatchObject({
      kind: 'or',
      operands: [{ value: "it's" }, { field: 'b c', value: 'd' }],
    });
  });

  it('treats keywords as keywords only in upper case and only as whole words', () => {
    expect(canonical('ANDROID=1 and=2')).toBe('(ANDROID="1" AND and="2")');
    expect(canonical('a=AND')).toBe('a="AND"');
  });

  it.each([
    [
      'state=',
      'filter: expected a value after "=" at position 6, found end of filter at position 7',
    ],
    [
      'state RUNNING',
      'filter: expected a comparator (= != < <= > >= :) after "state" at position 1, found "RUNNING" at position 7',
    ],
    ['a=1 AND', 'filter: expected a field, found end of filter at position 8'],
    [
      '(a=1',
      'filter: expected ")" to close the "(" at position 1, found end of filter at position 5',
    ],
    ['a=1)', 'filter: unmatched ")" at position 4'],
    ['a=1 OR OR b=2', 'filter: expected a field, found "OR" at position 8'],
    ['a!1', 'filter: unexpected "!" at position 2; use != or NOT'],
    ['a="open', 'filter: string opened at position 3 is not closed'],
    [
      String.raw`a="\q"`,
      String.raw`filter: unknown escape "\\q" at position 4; use \" \' \\ \n \t or \r`,
    ],
    ['- a=1', 'filter: "-" at position 1 must directly precede a term'],
    ['a==1', 'filter: expected a value after "=" at position 2, found "=" at position 3'],
  ])('refuses %j naming the token and its position', (filter, message) => {
    expect(errorOf(filter)).toEqual({ message, field: 'filter' });
  });

  it('bounds nesting and length', () => {
    expect(errorOf(`${'('.repeat(40)}a=1${')'.repeat(40)}`).message).toBe(
      'filter: nests deeper than 32 levels at "(" at position 33',
    );
    expect(canonical(`${'('.repeat(30)}a=1${')'.repeat(30)}`)).toBe('a="1"');
    expect(errorOf('a=1 '.repeat(600)).message).toBe('filter: is longer than 2000 characters');
  });
});
