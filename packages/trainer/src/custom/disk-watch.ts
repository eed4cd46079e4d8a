import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Bytes held under `dir` (regular files, counted by their allocated blocks so sparse files
 * count what they really use), not following links; `skip` names top-level entries left out.
 */
export async function directoryBytes(
  dir: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<number> {
  let total = 0;
  const visit = async (at: string, top: boolean): Promise<void> => {
    let entries;
    try {
      entries = await readdir(at, { withFileTypes: true });
    } catch {
      return; // removed while we looked
    }
    for (const entry of entries) {
      if (top && skip.has(entry.name)) continue;
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) await visit(file, false);
      else {
        try {
          const stat = await lstat(file);
          total += Math.max(stat.size > 0 ? stat.blocks * 512 : 0, 0);
        } catch {
          // removed while we looked
        }
      }
    }
  };
  await visit(dir, true);
  return total;
}

/**
 * Polls a trainer's work dir and calls `onExceeded` once when it holds more than `limitBytes`.
 * The sandbox caps each file (RLIMIT_FSIZE) and /tmp (a sized tmpfs); this caps their sum, so a
 * trainer can overshoot by at most what it writes in one interval.
 */
export class DiskWatch {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private fired = false;

  constructor(
    private readonly dir: string,
    private readonly limitBytes: number,
    private readonly onExceeded: (bytes: number) => void,
    private readonly skip: ReadonlySet<string> = new Set(),
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  /** One measurement now (also what the timer runs). */
  async check(): Promise<void> {
    if (this.running || this.fired) return;
    this.running = true;
    try {
      const bytes = await directoryBytes(this.dir, this.skip);
      if (bytes > this.limitBytes && !this.fired) {
        this.fired = true;
        this.onExceeded(bytes);
      }
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
