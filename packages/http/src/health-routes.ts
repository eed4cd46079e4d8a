import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { StratusError, coerceError } from '@stratus/spec';
import type { HttpOptions } from './http-options.js';
import { responses } from './shared-schemas.js';

const OkSchema = Type.Object({
  status: Type.Literal('ok'),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/** Resolve to 'ok', or to why the check failed (its error, or a timeout). */
const probe = async (check: () => Promise<unknown>, timeoutMs: number): Promise<string> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      check().then(
        () => 'ok',
        (error: unknown) => coerceError(error).message,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** What the health routes need (the standalone predictor server has no queues). */
export interface HealthDeps {
  /** The server's Redis connection (an ioredis `Redis`). */
  readonly redis: { ping(): Promise<unknown> };
  /** The server's `Storage`. */
  readonly storage: { exists(uri: string): Promise<boolean> };
  readonly options: Pick<HttpOptions, 'readinessTimeoutMs' | 'readinessProbeUri'>;
}

/** /healthz (the process lives) and /readyz (Redis PINGs and storage answers); no auth. */
export const healthRoutes: FastifyPluginAsync<HealthDeps> = async (app, deps) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'Liveness: 200 while the process runs',
        security: [],
        response: responses({ 200: OkSchema }),
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'Readiness: 200 when Redis and storage answer, else 503 naming the failed one',
        security: [],
        response: responses({ 200: OkSchema }),
      },
    },
    async () => {
      const { readinessTimeoutMs, readinessProbeUri } = deps.options;
      const [redis, storage] = await Promise.all([
        probe(() => deps.redis.ping(), readinessTimeoutMs),
        probe(() => deps.storage.exists(readinessProbeUri), readinessTimeoutMs),
      ]);
      const failed = Object.entries({ redis, storage }).filter(([, result]) => result !== 'ok');
      if (failed.length > 0) {
        throw new StratusError('NOT_READY', {
          detail: failed.map(([name, result]) => `${name}: ${result}`).join('; '),
          redis,
          storage,
        });
      }
      return { status: 'ok' as const, checks: { redis, storage } };
    },
  );
};
