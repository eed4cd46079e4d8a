import type { OutputStream } from '../io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A status line for a wait of unknown length. */
export interface Spinner {
  /** Replace the text after the label (e.g. the state being waited on). */
  update(detail: string): void;
  /** Clear the line (on a terminal); the caller prints the outcome. */
  stop(): void;
}

const NOOP: Spinner = { update: () => undefined, stop: () => undefined };

export interface SpinnerOptions {
  /** @defaultValue false */
  readonly quiet?: boolean;
  /** @defaultValue 100 */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/**
 * On a terminal, `⠹ Creating version [v1] of model [iris] 12s CREATING`
 * redrawn in place; elsewhere the label once, as one line (logs and pipes
 * get no control characters); nothing with `--quiet`.
 */
export const createSpinner = (
  stream: OutputStream,
  label: string,
  options: SpinnerOptions = {},
): Spinner => {
  if (options.quiet === true) return NOOP;
  if (stream.isTTY !== true) {
    stream.write(`${label}…\n`);
    return NOOP;
  }
  const now = options.now ?? Date.now;
  const started = now();
  let frame = 0;
  let detail = '';
  const draw = (): void => {
    const seconds = Math.floor((now() - started) / 1000);
    const glyph = FRAMES[frame % FRAMES.length] ?? '';
    frame += 1;
    stream.write(`\r${glyph} ${label} ${seconds}s${detail === '' ? '' : ` ${detail}`}\u001b[K`);
  };
  draw();
  const timer = setInterval(draw, options.intervalMs ?? 100);
  timer.unref();
  return {
    update: (text) => {
      detail = text;
    },
    stop: () => {
      clearInterval(timer);
      stream.write('\r\u001b[K');
    },
  };
};
