import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withCliRunner, type CliRun, type CliSandbox } from './cli.test-support.js';
import { openServeSandbox, type ServeSandbox } from './sandbox.test-support.js';

/** A running `stratus serve` (the all-in-one server) in a sandbox the CLI is configured for. */
export interface ServedSandbox extends ServeSandbox, CliSandbox {
  readonly apiUrl: string;
  readonly adminToken: string;
  /** Interrupt `stratus serve` (as Ctrl-C does), wait for it, and drop its Redis keys and files. */
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
  const sandbox = withCliRunner(await openServeSandbox());
  const controller = new AbortController();
  const serving = sandbox.run(['serve', '--port', '0'], { signal: controller.signal });
  const configPath = join(sandbox.dir, 'xdg', 'stratus', 'config.json');
  let config: Record<string, string> | undefined;
  for (let waited = 0; config?.token === undefined; waited += 100) {
    const early = await Promise.race([serving, sleep(100).then(() => undefined)]);
    if (early !== undefined || waited > 60_000) {
      controller.abort();
      const run = await serving;
      await sandbox.cleanup();
      throw new Error(
        early === undefined
          ? 'stratus serve did not write the CLI config in 60 s'
          : `stratus serve exited ${run.code}: ${run.stderr}${run.stdout}`,
      );
    }
    config = await readConfig(configPath);
  }
  return {
    ...sandbox,
    apiUrl: config['api-url'] ?? '',
    adminToken: config.token,
    stop: async () => {
      controller.abort();
      const result = await serving;
      await sandbox.cleanup();
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
