import { describe, expect, it } from 'vitest';
import { splitCsvLine } from './csv-line.js';

describe('splitCsvLine', () => {
  it('splits plain and quoted fields', () => {
    expect(splitCsvLine('a,,1.5,')).toEqual(['a', '', '1.5', '']);
    expect(splitCsvLine('a,"b,""c""",d')).toEqual(['a', 'b,"c"', 'd']);
    expect(splitCsvLine('"",x')).toEqual(['', 'x']);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(splitCsvLine('a, "b",5"')).toEqual(['a', ' "b"', '5"']);
  });

  it('says why a line is not one record, without csv-parse’s one-line line number', () => {
    expect(splitCsvLine('5,a5,"unterminated')).toBe(
      'not a CSV record: Quote Not Closed: the parsing is finished with an opening quote',
    );
  });
});
