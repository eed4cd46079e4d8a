import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { JobStore } from '@stratus/store';
import './access.js';
import { useJsonOnly } from './json-parser.js';
import { authPlugin } from './plugins/auth.js';
import { MAX_PARAM_LENGTH, errorsPlugin } from './plugins/errors.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { serializerCompiler, validatorCompiler } from './validation.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's `x-request-id` when it is a sane id (it goes into logs), else a new UUID. */
const requestId = (request: IncomingMessage): string => {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
};

export interface BaseAppOptions {
  /** A pino logger with the API's safeguards (see `createApiLogger` / `safeChildLogger`). */
  readonly logger: Logger;
  /** Largest request body in bytes (413 beyond). */
  readonly bodyLimit: number;
  /** Where bearer tokens are verified. */
  readonly store: JobStore;
  /** How long a verified token is trusted before Redis is asked again (see AuthOptions). @defaultValue 0 */
  readonly tokenCacheMs?: number;
}

/**
 * A fastify instance with what every Stratus HTTP server shares: request ids,
 * TypeBox validation, JSON-only bodies, the Google error shape (404/405/413/
 * 415 included) and bearer-token auth. The API (`buildApp`) and the
 * standalone predictor server add their routes to it.
 */
export const createBaseApp = (options: BaseAppOptions): FastifyInstance => {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit,
    genReqId: requestId,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  useJsonOnly(app);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  void app.register(errorsPlugin, { bodyLimit: options.bodyLimit });
  void app.register(authPlugin, {
    store: options.store,
    ...(options.tokenCacheMs === undefined ? {} : { cacheMs: options.tokenCacheMs }),
  });
  return app;
};
