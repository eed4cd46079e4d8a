import { getEventListeners } from 'node:events';
import { homedir } from 'node:os';
import { main } from './cli.js';

/**
 * The `stratus` binary: `main` over this process's argv, streams and
 * environment — the one place the CLI reads `process`. Ctrl-C aborts the
 * command's signal when it listens for it (streams, serve, worker,
 * transfers) and exits at once otherwise; a second Ctrl-C always exits.
 */
export async function runStratus(): Promise<number> {
  const controller = new AbortController();
  const interrupt = (): void => {
    if (controller.signal.aborted || getEventListeners(controller.signal, 'abort').length === 0) {
      process.exit(130);
    }
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  // `stratus … | head` closes stdout early; that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  try {
    return await main(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      env: process.env,
      cwd: process.cwd(),
      homeDir: homedir(),
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
