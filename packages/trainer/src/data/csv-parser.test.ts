import { describe, expect, it } from 'vitest';
import { CsvParser, CsvSyntaxError, parseCsv } from './csv-parser.js';

const fields = (text: string): string[][] => parseCsv(text).map((r) => r.fields);

/** Parse `text` fed in pieces cut at the given positions. */
function parseInPieces(text: string, cuts: number[]): string[][] {
  const parser = new CsvParser();
  const out: string[][] = [];
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    out.push(...parser.push(text.slice(at, cut)).map((r) => r.fields));
    at = cut;
  }
  out.push(...parser.end().map((r) => r.fields));
  return out;
}

const TRICKY =
  '\uFEFFid,text,n\r\n1,"a, b",2\r\n2,"say ""hi""",3\n3,"line one\r\nline two\nline three",4\r' +
  '4,,5\n\n5,"",6\n6,"""",7\n7,plain "quote" inside,8';

const TRICKY_FIELDS = [
  ['id', 'text', 'n'],
  ['1', 'a, b', '2'],
  ['2', 'say "hi"', '3'],
  ['3', 'line one\r\nline two\nline three', '4'],
  ['4', '', '5'],
  ['5', '', '6'],
  ['6', '"', '7'],
  ['7', 'plain "quote" inside', '8'],
];

describe('CsvParser', () => {
  it('parses RFC 4180 quoting, CRLF/LF/CR line ends, a BOM and a last line without newline', () => {
    expect(fields(TRICKY)).toEqual(TRICKY_FIELDS);
  });

  it('gives the same records however the text is cut into chunks', () => {
    for (let a = 0; a <= TRICKY.length; a += 1) {
      expect(parseInPieces(TRICKY, [a])).toEqual(TRICKY_FIELDS);
    }
    for (let a = 0; a < TRICKY.length; a += 3) {
      for (let b = a; b <= TRICKY.length; b += 5) {
        expect(parseInPieces(TRICKY, [a, b])).toEqual(TRICKY_FIELDS);
      }
    }
    const oneByOne = [...Array(TRICKY.length).keys()].map((i) => i + 1);
    expect(parseInPieces(TRICKY, oneByOne)).toEqual(TRICKY_FIELDS);
  });

  it('reports the line each record starts on, counting newlines inside quotes', () => {
    const lines = parseCsv('h1,h2\n"a\nb",1\n\nc,2\r\nd,3').map((r) => r.line);
    expect(lines).toEqual([1, 2, 5, 6]);
  });

  it('keeps empty fields and skips blank lines but not a lone quoted empty field', () => {
    expect(fields('a,b,c\n,,\n\n\r\n""\n')).toEqual([['a', 'b', 'c'], ['', '', ''], ['']]);
  });

  it('refuses an unterminated quoted field, naming the line it started on', () => {
    const parser = new CsvParser();
    parser.push('a,b\n1,"open\nmore\n');
    let caught: unknown;
    try {
      parser.end();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CsvSyntaxError);
    expect((caught as CsvSyntaxError).message).toBe('unterminated quoted field starting on line 2');
    expect((caught as CsvSyntaxError).line).toBe(2);
  });

  it('returns nothing for empty input and only a BOM', () => {
    expect(fields('')).toEqual([]);
    expect(fields('\uFEFF')).toEqual([]);
    expect(fields('\n\n')).toEqual([]);
  });
});
