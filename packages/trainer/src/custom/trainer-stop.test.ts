import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  failureOf,
  isAlive,
  openTrialHarness,
  trainerTarball,
  type TrialHarness,
} from './custom-trainer.test-support.js';
import { runCustomTrainer } from './run-custom-trainer.js';

let h: TrialHarness;
beforeAll(async () => {
  h = await openTrialHarness();
}, 120_000);
afterAll(() => h.close());

describe('runCustomTrainer: failures, limits and stopping', () => {
  it('fails a non-zero exit with the last 20 stderr lines in the message', async () => {
    const pkg = trainerTarball({
      'task.mjs':
        'for (let i = 1; i <= 30; i++) console.error(`problem line ${i}`);\nprocess.exit(3);',
    });
    const t = h.trial(await h.stage(pkg), { module: 'task.mjs' });
    const error = await failureOf(runCustomTrainer(t.options));
    expect(error.reason).toBe('TRAINER_EXITED');
    const tail = Array.from({ length: 20 }, (_, i) => `problem line ${i + 11}`).join('\n');
    expect(error.message).toBe(
      `Trainer module task.mjs exited with code 3: last stderr lines:\n${tail}`,
    );
    expect(t.logs.filter((l) => l.stream === 'stderr')).toHaveLength(30);
  });

  it('kills a runaway allocation at the heap limit, in the child', async () => {
    const pkg = trainerTarball({
      'task.mjs': 'const hold = [];\nfor (;;) hold.push(new Array(1e5).fill(1.5));',
    });
    const t = h.trial(await h.stage(pkg), { module: 'task.mjs', maxOldSpaceSizeMb: 96 });
    const error = await failureOf(runCustomTrainer(t.options));
    expect(error.reason).toBe('TRAINER_EXITED');
    expect(error.message).toMatch(
      /^Trainer module task\.mjs (was killed by signal SIGABRT|exited with code \d+): last stderr lines:\n/,
    );
    expect(error.message).toMatch(/JavaScript heap out of memory/);
  }, 60_000);

  it('times out a trainer that ignores SIGTERM with SIGKILL after the grace period', async () => {
    // This preload ignores SIGTERM from the child's first instruction, so the outcome does not
    // depend on how long the trainer takes to start on a busy machine.
    const preload = path.join(h.root, 'ignore-sigterm.mjs');
    await writeFile(preload, "process.on('SIGTERM', () => {});\n");
    const pkg = trainerTarball({ 'task.mjs': 'setInterval(() => {}, 1000);' });
    const t = h.trial(await h.stage(pkg), {
      module: 'task.mjs',
      preloadModule: preload,
      timeoutMs: 1000,
      killGraceMs: 300,
    });
    // The trainer never ends on its own: that the run returns at all shows the SIGKILL landed.
    const error = await failureOf(runCustomTrainer(t.options));
    expect(error.reason).toBe('TRAINER_TIMEOUT');
    expect(error.message).toBe(
      'Trainer module task.mjs ran longer than 1000 ms and was stopped (SIGTERM, then SIGKILL after 300 ms)',
    );
  });

  it('cancels through an AbortSignal, killing the whole process group', async () => {
    // Only an unsandboxed trainer can start a grandchild (the sandbox refuses child processes).
    const pkg = trainerTarball({
      'task.mjs': [
        "import { spawn } from 'node:child_process';",
        "process.on('SIGTERM', () => console.log('SIGTERM ignored'));",
        "const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
        'console.log(`ready ${grandchild.pid}`);',
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    });
    const controller = new AbortController();
    let grandchild = 0;
    const t = h.trial(await h.stage(pkg), {
      module: 'task.mjs',
      sandbox: 'none',
      signal: controller.signal,
      killGraceMs: 300,
      onLog: (line) => {
        t.logs.push(line);
        const ready = /^ready (\d+)$/.exec(line.line);
        if (ready) {
          grandchild = Number(ready[1]);
          controller.abort();
        }
      },
    });
    const error = await failureOf(runCustomTrainer(t.options));
    expect(error.reason).toBe('TRIAL_CANCELLED');
    expect(error.message).toBe(
      'Trial 2 was stopped: cancelled; trainer stopped with SIGTERM, then SIGKILL after 300 ms',
    );
    expect(t.stdout()).toContain('SIGTERM ignored');
    expect(grandchild).toBeGreaterThan(0);
    expect(await eventually(() => !isAlive(grandchild))).toBe(true);
  });

  it('caps 50 MB of output without holding it in memory', async () => {
    const pkg = trainerTarball({
      'task.mjs': [
        "const chunk = ('x'.repeat(99) + '\\n').repeat(10_000);",
        'for (let i = 0; i < 50; i++) process.stdout.write(chunk);',
        "process.stdout.write('y'.repeat(5 * 1024 * 1024));",
      ].join('\n'),
    });
    let delivered = 0;
    let deliveredBytes = 0;
    const notes: string[] = [];
    const t = h.trial(await h.stage(pkg), {
      module: 'task.mjs',
      logLimits: { maxTotalBytes: 1024 * 1024, linesPerSecond: 1e9, burstLines: 1e9 },
      onLog: (line) => {
        if (line.stream === 'runner') notes.push(line.line);
        else {
          delivered += 1;
          deliveredBytes += line.line.length;
        }
      },
    });
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 10);
    const result = await runCustomTrainer(t.options).finally(() => clearInterval(sampler));
    const kept = Math.floor((1024 * 1024) / 99);
    expect(delivered).toBe(kept);
    expect(deliveredBytes).toBe(kept * 99);
    expect(result.log).toEqual({
      delivered: kept,
      dropped: 500_001 - kept,
      droppedBytes: (500_000 - kept) * 99 + 5 * 1024 * 1024,
      truncated: 0,
    });
    expect(notes).toEqual([
      'log output reached 1048576 bytes; dropping all further lines',
      `dropped ${500_001 - kept} log lines`,
    ]);
    // 55 MB went through the pipe; the parent's heap grew by a fraction of that.
    expect(peak - baseline).toBeLessThan(40 * 1024 * 1024);
  }, 60_000);
});
