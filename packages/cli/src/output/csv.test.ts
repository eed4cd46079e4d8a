import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-errors.js';
import { csvField, renderCsv } from './csv.js';
import { parseFormat } from './format-spec.js';

describe('--format csv(...)', () => {
  it('parses csv(FIELD,...) with and without [no-heading]', () => {
    expect(parseFormat('csv(name, state)')).toEqual({
      kind: 'csv',
      fields: ['name', 'state'],
      heading: true,
    });
    expect(parseFormat('csv[no-heading](labels.team)')).toEqual({
      kind: 'csv',
      fields: ['labels.team'],
      heading: false,
    });
  });

  it('refuses an empty field list, a bad field and unknown attributes as usage errors', () => {
    expect(() => parseFormat('csv()')).toThrow(new UsageError('--format csv() names no fields'));
    expect(() => parseFormat('csv(a b)')).toThrow('"a b" is not a field path');
    expect(() => parseFormat('csv[pad=2](name)')).toThrow(
      new UsageError(
        '--format csv[pad=2](name): csv knows the attribute [no-heading] only (got "pad=2")',
      ),
    );
  });

  it('quotes fields holding a comma, a quote or a line break (RFC 4180)', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(
      renderCsv([
        ['name', 'labels'],
        ['iris', 'team=x,tier=gold'],
        ['', ''],
      ]),
    ).toBe('name,labels\niris,"team=x,tier=gold"\n,\n');
  });
});
