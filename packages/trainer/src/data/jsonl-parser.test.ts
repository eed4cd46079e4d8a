import { describe, expect, it } from 'vitest';
import { JsonLinesParser, JsonLinesSyntaxError, parseJsonLines } from './jsonl-parser.js';

describe('JsonLinesParser', () => {
  const text = '\uFEFF{"a":1,"b":"x"}\r\n\n  \n{"a":2,"b":"line\\nbreak"}\n{"a":null}';

  it('parses one object per line, skipping blank lines, with CRLF or LF', () => {
    expect(parseJsonLines(text)).toEqual([
      { value: { a: 1, b: 'x' }, line: 1 },
      { value: { a: 2, b: 'line\nbreak' }, line: 4 },
      { value: { a: null }, line: 5 },
    ]);
  });

  it('gives the same objects however the text is cut into chunks', () => {
    const whole = parseJsonLines(text);
    for (let cut = 0; cut <= text.length; cut += 1) {
      const parser = new JsonLinesParser();
      const got = [
        ...parser.push(text.slice(0, cut)),
        ...parser.push(text.slice(cut)),
        ...parser.end(),
      ];
      expect(got).toEqual(whole);
    }
  });

  it('names the line of invalid JSON and of a line that is no object', () => {
    expect(() => parseJsonLines('{"a":1}\n{"a":\n')).toThrow(/^line 2 is not valid JSON: /);
    expect(() => parseJsonLines('{"a":1}\n\n[1,2]\n')).toThrow(
      new JsonLinesSyntaxError(
        'line 3 holds an array, not a JSON object (JSON Lines needs one object per line)',
        3,
      ),
    );
    expect(() => parseJsonLines('42')).toThrow('line 1 holds number, not a JSON object');
  });
});
