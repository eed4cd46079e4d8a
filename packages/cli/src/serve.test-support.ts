import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { cliSandbox, type CliRun, type CliSandbox } from './cli.test-support.js';

/** Tests use the Redis at REDIS_URL (CI starts one), each run under its own key prefix. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A running `stratus serve` (the all-in-one server) in a sandbox the CLI is configured for. */
export interface ServedSandbox extends CliSandbox {
  readonly prefix: string;
  readonly apiUrl: string;
  readonly adminToken: string;
  /** Interrupt `stratus serve` (as Ctrl-C does), wait for it, and drop its Redis keys. */
  stop(): Promise<CliRun>;
}

const readConfig = async (path: string): Promise<Record<string, string> | undefined> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
  } catch {
    return undefined;
  }
};

/**
 * Start `stratus serve --port 0` in-process (API, a worker child process,
 * the local bucket) on the real Redis with a `test-<uuid>` prefix, and wait
 * until it has written the CLI's config.
 */
export const startServedSandbox = async (): Promise<ServedSandbox> => {
  const prefix = `test-${randomUUID()}`;
  const sandbox = await cliSandbox({ REDIS_URL: TEST_REDIS_URL, STRATUS_REDIS_PREFIX: prefix });
  const controller = new AbortController();
  const serving = sandbox.run(['serve', '--port', '0'], { signal: controller.signal });
  const configPath = join(sandbox.dir, 'xdg', 'stratus', 'config.json');
  let config: Record<string, string> | undefined;
  for (let waited = 0; config?.token === undefined; waited += 100) {
    const early = await Promise.race([serving, sleep(100).then(() => undefined)]);
    if (early !== undefined) {
      throw new Error(`stratus serve exited ${early.code}: ${early.stderr}${early.stdout}`);
    }
    if (waited > 60_000) throw new Error('stratus serve did not write the CLI config in 60 s');
    config = await readConfig(configPath);
  }
  return {
    ...sandbox,
    prefix,
    apiUrl: config['api-url'] ?? '',
    adminToken: config.token,
    stop: async () => {
      controller.abort();
      const result = await serving;
      const redis = new Redis(TEST_REDIS_URL);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await redis.unlink(...keys);
        } while (cursor !== '0');
      } finally {
        await redis.quit();
        await sandbox.cleanup();
      }
      return result;
    },
  };
};

/** `jobs submit training JOB` argv for a built-in DNN on the Iris CSV at gs://demo/data/iris.csv. */
export const builtinJob = (jobId: string, epochs: number): string[] => [
  'jobs',
  'submit',
  'training',
  jobId,
  '--job-dir',
  `gs://demo/jobs/${jobId}`,
  '--builtin-algorithm',
  'dnn_classifier',
  '--training-data',
  'gs://demo/data/iris.csv',
  '--label-column',
  'species',
  '--epochs',
  String(epochs),
];
