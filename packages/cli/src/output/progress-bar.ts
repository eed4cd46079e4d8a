import type { OutputStream } from '../io.js';

/** Files smaller than this get no bar: they finish before one would be seen. */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;

const MIB = 1024 * 1024;

/** `12.3 MiB`, `512 KiB`, `17 B`. */
export const formatBytes = (bytes: number): string => {
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${bytes} B`;
};

export interface ProgressBar {
  update(bytes: number, total?: number): void;
  done(): void;
}

const NOOP: ProgressBar = { update: () => undefined, done: () => undefined };

/**
 * A one-line transfer bar on a terminal (redrawn with `\r`, at most every
 * 100 ms); nothing when the stream is not a TTY, or the transfer is small.
 */
export const createProgressBar = (
  stream: Partial<OutputStream>,
  label: string,
  expectedBytes: number | undefined,
  now: () => number = Date.now,
): ProgressBar => {
  if (
    stream.isTTY !== true ||
    (expectedBytes !== undefined && expectedBytes < PROGRESS_MIN_BYTES)
  ) {
    return NOOP;
  }
  const started = now();
  let last = 0;
  let shown = false;
  const draw = (bytes: number, total: number | undefined): void => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = `${formatBytes(bytes / seconds)}/s`;
    const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - label.length - 45));
    const text =
      total === undefined || total === 0
        ? `${label} ${formatBytes(bytes)} ${rate}`
        : (() => {
            const fraction = Math.min(1, bytes / total);
            const filled = Math.round(fraction * width);
            const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
            return `${label} [${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${formatBytes(bytes)}/${formatBytes(total)} ${rate}`;
          })();
    stream.write?.(`\r${text}\u001b[K`);
    shown = true;
  };
  return {
    update: (bytes, total) => {
      const t = now();
      if (t - last < 100 && bytes !== total) return;
      last = t;
      draw(bytes, total ?? expectedBytes);
    },
    done: () => {
      if (shown) stream.write?.('\n');
    },
  };
};
