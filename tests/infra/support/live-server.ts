import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startApiServer } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { loadConfig } from '@stratus/config';
import { startPredictorServer } from '@stratus/predictor';
import { purgePrefix } from '@stratus/store';
import { TEST_REDIS_URL } from '../../support/redis-url.js';

/** A real API or predictor server, as an image would start it, on a free port of 127.0.0.1. */
export interface LiveServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Start the server an image runs (`startApiServer` for api, `startPredictorServer` for
 * predictor) with `env` from a deployment file, except for what must be local to this test:
 * address, Redis, key prefix and a local bucket in a temporary home.
 */
export const startLiveServer = async (
  image: 'api' | 'predictor',
  env: Readonly<Record<string, string>>,
): Promise<LiveServer> => {
  const home = await mkdtemp(join(tmpdir(), 'stratus-infra-'));
  const prefix = `test-${randomUUID()}`;
  const config = loadConfig({
    ...env,
    STRATUS_HOST: '127.0.0.1',
    STRATUS_PORT: '0',
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_STORAGE: 'local',
    STRATUS_HOME: home,
    STRATUS_PREDICTOR_THREADS: '0',
  });
  const logger = createApiLogger({ level: 'silent' });
  const server =
    image === 'api'
      ? await startApiServer(config, { logger })
      : await startPredictorServer(config, { logger });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      const redis = new Redis(TEST_REDIS_URL);
      await purgePrefix(redis, prefix);
      await redis.quit();
      await rm(home, { recursive: true, force: true });
    },
  };
};
