import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BufferStream } from '../cli.test-support.js';
import { createSpinner } from './spinner.js';

describe('createSpinner', () => {
  it('redraws one line in place on a terminal, with elapsed seconds and the detail', async () => {
    const tty = new BufferStream(true, 80);
    let now = 0;
    const spinner = createSpinner(tty, 'Creating version [v1]', {
      intervalMs: 5,
      now: () => now,
    });
    now = 3_400;
    spinner.update('CREATING');
    await sleep(30);
    spinner.stop();
    const frames = tty.text.split('\r').filter(Boolean);
    expect(frames[0]).toBe('⠋ Creating version [v1] 0s\u001b[K');
    expect(frames).toContain('⠙ Creating version [v1] 3s CREATING\u001b[K');
    expect(frames.at(-1)).toBe('\u001b[K');
    const after = tty.text.length;
    await sleep(20);
    expect(tty.text.length).toBe(after);
  });

  it('prints the label once elsewhere, and nothing with --quiet', () => {
    const pipe = new BufferStream(false);
    const spinner = createSpinner(pipe, 'Creating version [v1]');
    spinner.update('CREATING');
    spinner.stop();
    expect(pipe.text).toBe('Creating version [v1]…\n');
    const quiet = new BufferStream(true, 80);
    createSpinner(quiet, 'Creating version [v1]', { quiet: true }).stop();
    expect(quiet.text).toBe('');
  });
});
