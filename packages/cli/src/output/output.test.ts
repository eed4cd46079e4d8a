import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-errors.js';
import { formatCell, getField, headerFor } from './fields.js';
import { parseFormat } from './format-spec.js';
import { createProgressBar, formatBytes } from './progress-bar.js';
import { colourEnabled, createStyle } from './style.js';
import { renderTable } from './table.js';

describe('parseFormat', () => {
  it('accepts json, yaml, table and field lists', () => {
    expect(parseFormat('json')).toEqual({ kind: 'json' });
    expect(parseFormat(' yaml ')).toEqual({ kind: 'yaml' });
    expect(parseFormat('table')).toEqual({ kind: 'table' });
    expect(parseFormat('value(jobId, state)')).toEqual({
      kind: 'value',
      fields: ['jobId', 'state'],
    });
    expect(parseFormat('table(trainingOutput.trials[0].trialId)')).toEqual({
      kind: 'table',
      fields: ['trainingOutput.trials[0].trialId'],
    });
  });

  it('refuses anything else as a usage error naming what is allowed', () => {
    expect(() => parseFormat('xml')).toThrow(
      new UsageError(
        '--format must be json, yaml, table, table(FIELD,...), value(FIELD,...) or csv[no-heading](FIELD,...) (got "xml")',
      ),
    );
    expect(() => parseFormat('value()')).toThrow('--format value() names no fields');
    expect(() => parseFormat('value(a b)')).toThrow('"a b" is not a field path');
  });
});

describe('fields', () => {
  const job = { jobId: 'j', labels: { team: 'x', tier: 'gold' }, out: { trials: [{ id: '7' }] } };
  it('reads dotted and indexed paths', () => {
    expect(getField(job, 'out.trials[0].id')).toBe('7');
    expect(getField(job, 'out.trials[3].id')).toBeUndefined();
    expect(getField(job, 'missing.deeper')).toBeUndefined();
  });
  it('formats cells and headers as gcloud does', () => {
    expect(formatCell(job.labels)).toBe('team=x,tier=gold');
    expect(formatCell([32, 16])).toBe('32;16');
    expect(formatCell(undefined)).toBe('');
    expect(headerFor('trainingOutput.bestTrialId')).toBe('BEST_TRIAL_ID');
  });
});

describe('renderTable', () => {
  const columns = [{ header: 'JOB_ID' }, { header: 'STATUS' }, { header: 'N', alignRight: true }];
  const rows = [
    ['iris_dnn_with_a_long_name', 'SUCCEEDED', '12'],
    ['b', 'FAILED', '3'],
  ];

  it('pads columns with two spaces and right-aligns numbers', () => {
    expect(renderTable(columns, rows)).toBe(
      [
        'JOB_ID                     STATUS      N',
        'iris_dnn_with_a_long_name  SUCCEEDED  12',
        'b                          FAILED      3',
        '',
      ].join('\n'),
    );
  });

  it('shrinks the widest column with an ellipsis to fit the terminal', () => {
    const lines = renderTable(columns, rows, { width: 30 }).split('\n');
    expect(lines[1]).toBe('iris_dnn_with_…  SUCCEEDED  12');
    expect(Math.max(...lines.map((line) => line.length))).toBe(30);
  });
});

describe('colour and progress', () => {
  it('colours only a TTY without NO_COLOR (or with FORCE_COLOR)', () => {
    expect(colourEnabled({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ write: () => true, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ write: () => true, isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ write: () => true }, { FORCE_COLOR: '1' })).toBe(true);
    expect(createStyle(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(createStyle(false).red('x')).toBe('x');
  });

  it('draws a bar for a large transfer on a TTY, and nothing otherwise', () => {
    let text = '';
    let clock = 0;
    const tty = { isTTY: true, columns: 100, write: (chunk: string) => (text += chunk) };
    const bar = createProgressBar(tty, 'gs://b/big', 8 * 1024 * 1024, () => clock);
    clock = 1000;
    bar.update(4 * 1024 * 1024, 8 * 1024 * 1024);
    bar.done();
    expect(text).toBe(
      `\rgs://b/big [###############...............]  50% 4.0 MiB/8.0 MiB 4.0 MiB/s\u001b[K\n`,
    );
    let quiet = '';
    const pipe = { isTTY: false, write: (chunk: string) => (quiet += chunk) };
    const none = createProgressBar(pipe, 'x', 8 * 1024 * 1024);
    none.update(1, 2);
    none.done();
    expect(quiet).toBe('');
    expect(formatBytes(1536)).toBe('2 KiB');
  });
});
