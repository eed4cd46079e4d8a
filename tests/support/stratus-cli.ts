import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openServeSandbox } from '@stratus/cli/testing';
import { ROOT } from './stratus-e2e.js';

/** `stratus` from source; processes run in the repository root (paths in argv are relative to it). */
const BIN = ['--import', 'tsx', '--conditions=stratus-src', 'tests/support/stratus-bin.ts'];

/** What one `stratus` process printed and its exit status. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `stratus serve` child process and the sandbox (home, config, Redis prefix) the CLI shares. */
export interface ServedCli {
  readonly dir: string;
  readonly url: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Run `stratus ...argv` as a child process in the repository root, with the sandbox's environment. */
  stratus(argv: readonly string[], options?: { readonly stdin?: string }): Promise<CliResult>;
  /** SIGTERM the server (as a service manager stops it), wait, drop its keys and files. */
  stop(): Promise<number | null>;
}

const collect = (child: ChildProcess, stdin?: string): Promise<CliResult> => {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin?.end(stdin ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
};

/**
 * Start `stratus serve --port 0` as a child process in an `openServeSandbox`
 * sandbox (its own STRATUS_HOME, XDG_CONFIG_HOME and `test-<uuid>` Redis
 * prefix), and wait for its "Stratus is running" line (by then it has
 * written the CLI's config).
 */
export const startServedCli = async (timeoutMs = 90_000): Promise<ServedCli> => {
  const sandbox = await openServeSandbox({ LOG_LEVEL: 'warn' });
  const { dir, env } = sandbox;
  const server = spawn(process.execPath, [...BIN, 'serve', '--port', '0'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`stratus serve did not start in ${timeoutMs} ms`)),
        timeoutMs,
      );
      void exited.then((code) =>
        reject(new Error(`stratus serve exited ${String(code)}: ${output.join('')}`)),
      );
      createInterface({ input: server.stdout }).on('line', (line) => {
        output.push(`${line}\n`);
        const match = /^Stratus is running: (\S+)$/.exec(line);
        if (match?.[1] === undefined) return;
        clearTimeout(timer);
        resolve(match[1]);
      });
    });
  } catch (error) {
    server.kill('SIGKILL');
    await exited;
    await sandbox.cleanup();
    throw error;
  }
  return {
    dir,
    url,
    env,
    stratus: (argv, options = {}) =>
      collect(
        spawn(process.execPath, [...BIN, ...argv], {
          cwd: ROOT,
          env,
          stdio: ['pipe', 'pipe', 'pipe'],
        }),
        options.stdin,
      ),
    stop: async () => {
      server.kill('SIGTERM');
      const code = await exited;
      await sandbox.cleanup();
      return code;
    },
  };
};
