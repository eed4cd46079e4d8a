import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, type E2eEnv } from './stratus-e2e.js';

/** The all-in-one server (`services/serve/src/main.ts` under tsx): API, predictor and a worker child. */
export interface ServeProcess {
  /** Its origin, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  /** SIGTERM it (as a service manager stops it) and wait for it to exit. */
  stop(): Promise<void>;
}

/** Start the all-in-one server on `env` and wait for its "Stratus is running" line. */
export const startServe = async (env: E2eEnv, timeoutMs = 90_000): Promise<ServeProcess> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=stratus-src', 'services/serve/src/main.ts'],
    {
      cwd: ROOT,
      env: { ...env.env, HOME: env.home, XDG_CONFIG_HOME: join(env.home, 'xdg') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const printed = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stratus serve did not start in ${timeoutMs} ms`));
    }, timeoutMs);
    void exited.then(() =>
      reject(new Error(`stratus serve exited with ${String(child.exitCode)}`)),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^Stratus is running: (\S+)$/.exec(line);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
  });
  return {
    url: new URL(printed).origin,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
};
