import { describe, expect, it, vi } from 'vitest';
import { BufferStream } from '../cli.test-support.js';
import { createSpinner } from './spinner.js';

describe('createSpinner', () => {
  it('redraws one line in place on a terminal, with elapsed seconds and the detail', () => {
    vi.useFakeTimers();
    try {
      const tty = new BufferStream(true, 80);
      let now = 0;
      const spinner = createSpinner(tty, 'Creating version [v1]', {
        intervalMs: 5,
        now: () => now,
      });
      now = 3_400;
      spinner.update('CREATING');
      vi.advanceTimersByTime(5);
      spinner.stop();
      expect(tty.text.split('\r').filter(Boolean)).toEqual([
        '⠋ Creating version [v1] 0s\u001b[K',
        '⠙ Creating version [v1] 3s CREATING\u001b[K',
        '\u001b[K',
      ]);
      // Stopped: no more frames however long it waits.
      const after = tty.text;
      vi.advanceTimersByTime(1_000);
      expect(tty.text).toBe(after);
    } finally {
      vi.useRealTimers();
    }
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
