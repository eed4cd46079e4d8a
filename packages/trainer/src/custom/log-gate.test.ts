import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';
import { LogGate, type LogLine } from './log-gate.js';

describe('LineSplitter', () => {
  it('splits across chunks, strips CR, truncates long lines and flushes the last one', () => {
    const lines: Array<[string, number, boolean]> = [];
    const splitter = new LineSplitter(8, (line, bytes, truncated) =>
      lines.push([line, bytes, truncated]),
    );
    splitter.push(Buffer.from('ab'));
    splitter.push(Buffer.from('c\r\nde\n\n0123456789AB'));
    splitter.push(Buffer.from('CDEF\ntail'));
    splitter.end();
    expect(lines).toEqual([
      ['abc', 4, false],
      ['de', 2, false],
      ['', 0, false],
      ['01234567', 16, true],
      ['tail', 4, false],
    ]);
  });
});

describe('LogGate', () => {
  it('rate-limits with a token bucket, counting and reporting dropped lines', () => {
    let now = 0;
    const out: LogLine[] = [];
    const gate = new LogGate(
      { linesPerSecond: 10, burstLines: 3, maxTotalBytes: 1e9 },
      (line) => out.push(line),
      () => now,
    );
    for (let i = 1; i <= 5; i++) gate.offer('stdout', `line ${i}`, 6, false);
    now = 250; // 2.5 tokens refilled
    gate.offer('stderr', 'line 6', 6, false);
    gate.offer('stderr', 'line 7', 6, false);
    const summary = gate.finish();
    expect(out.map((l) => `${l.stream}:${l.line}`)).toEqual([
      'stdout:line 1',
      'stdout:line 2',
      'stdout:line 3',
      'runner:log output exceeds 10 lines/s; dropping lines',
      'runner:dropped 2 log lines',
      'stderr:line 6',
      'stderr:line 7',
    ]);
    expect(summary).toEqual({ delivered: 5, dropped: 2, droppedBytes: 12, truncated: 0 });
    expect(out[5]?.time).toEqual(new Date(250));
  });

  it('stops for good once the byte budget is spent and marks truncated lines', () => {
    const out: string[] = [];
    const gate = new LogGate({ maxTotalBytes: 40 }, (line) => out.push(line.line));
    gate.offer('stdout', 'a'.repeat(8), 9000, true);
    gate.offer('stdout', 'b'.repeat(33), 33, false);
    gate.offer('stdout', 'c', 1, false);
    expect(gate.finish()).toEqual({ delivered: 1, dropped: 2, droppedBytes: 34, truncated: 1 });
    expect(out).toEqual([
      'aaaaaaaa… [line truncated: 9000 bytes]',
      'log output reached 40 bytes; dropping all further lines',
      'dropped 2 log lines',
    ]);
  });
});
