import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportHyperparameterTuningMetric, type HypertuneMetric } from '@stratus/hypertune';
import { MetricsTail } from './metrics-tail.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'metrics-tail-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (tag: string, value: number, step: number, timestamp: number) =>
  `{"global_step": "${step}", "${tag}": "${value}", "timestamp": ${timestamp}, "trial": "1"}\n`;

describe('MetricsTail', () => {
  it('passes each appended metric on once, waiting for half-written lines', async () => {
    const file = path.join(dir, 'output.metrics');
    const seen: HypertuneMetric[] = [];
    const tail = new MetricsTail(file, (m) => seen.push(m));
    await tail.poll(); // no file yet
    await writeFile(file, line('acc', 0.5, 1, 1));
    await tail.poll();
    const next = line('acc', 0.6, 2, 2);
    await appendFile(file, next.slice(0, 20));
    await tail.poll();
    expect(seen.map((m) => m.step)).toEqual([1]);
    await appendFile(file, `${next.slice(20)}garbage\n${line('µ-loss', 0.1, 2, 3).trimEnd()}`);
    await tail.poll();
    expect(seen.map((m) => m.step)).toEqual([1, 2]);
    await tail.stop(); // the trainer exited: the unterminated last line counts
    expect(seen.map((m) => [m.tag, m.value, m.step])).toEqual([
      ['acc', 0.5, 1],
      ['acc', 0.6, 2],
      ['µ-loss', 0.1, 2],
    ]);
    expect(tail.invalidLines).toBe(1);
  });

  it('rereads a file rewritten in place (Python cloudml-hypertune style) without repeating metrics', async () => {
    const file = path.join(dir, 'output.metrics');
    const seen: number[] = [];
    const tail = new MetricsTail(file, (m) => seen.push(m.step));
    await writeFile(file, line('acc', 0.1, 1, 10) + line('acc', 0.2, 2, 20));
    await tail.poll();
    // The Python writer keeps the newest 100 and rewrites the whole file each time.
    await writeFile(file, line('acc', 0.2, 2, 20) + line('acc', 0.3, 3, 30));
    await tail.poll();
    await writeFile(file, line('acc', 0.4, 4, 40));
    await tail.poll();
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('passes on every report once while @stratus/hypertune keeps the file at 100 records', async () => {
    const file = path.join(dir, 'output.metrics');
    const seen: number[] = [];
    const tail = new MetricsTail(file, (m) => seen.push(m.step));
    const env = { CLOUD_ML_HP_METRIC_FILE: file };
    // One clock reading for all: a fast trainer reports many metrics in the same millisecond.
    const now = () => 1_700_000_000_000;
    for (let step = 0; step < 250; step += 1) {
      reportHyperparameterTuningMetric({ tag: 'acc', value: step / 1000, step }, { env, now });
      if (step % 7 === 0) await tail.poll();
    }
    await tail.stop();
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });
});
