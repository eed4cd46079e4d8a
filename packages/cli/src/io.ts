import type { Readable } from 'node:stream';

/** Where the CLI writes: a process stream, or a buffer in tests. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True for a terminal: colour, progress bars and truncated tables are used only then. */
  readonly isTTY?: boolean;
  /** Terminal width, when it is one. */
  readonly columns?: number;
}

/**
 * Everything the CLI touches of its process, injected so tests can run
 * `main(argv, io)` in-process with their own streams and environment.
 */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** For `--json-instances -`. */
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** Home directory (for `~/.config`). */
  readonly homeDir: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop and clean up. */
  readonly signal?: AbortSignal;
}
