import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { main } from './cli.js';
import type { OutputStream } from './io.js';
import { openSandbox, type Sandbox } from './sandbox.test-support.js';

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

/** A {@link Sandbox} that runs `stratus` in-process. */
export interface CliSandbox extends Sandbox {
  /** Run `stratus ...argv` in-process with the sandbox's env (plus `options.env`). */
  run(argv: readonly string[], options?: RunOptions): Promise<CliRun>;
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

/** `sandbox` with a {@link CliSandbox.run} that runs `main` in its directory and environment. */
export const withCliRunner = <S extends Sandbox>(sandbox: S): S & CliSandbox => ({
  ...sandbox,
  run: (argv, options = {}) =>
    runCli(argv, { cwd: sandbox.dir, ...options, env: { ...sandbox.env, ...options.env } }),
});

/** An {@link openSandbox} sandbox (no Redis) with an in-process runner. */
export const cliSandbox = async (
  extraEnv: Readonly<Record<string, string | undefined>> = {},
): Promise<CliSandbox> => withCliRunner(await openSandbox(extraEnv));
