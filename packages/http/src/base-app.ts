import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { StoreAreas } from '@stratus/store';
import './access.js';
import { useJsonOnly } from './json-parser.js';
import { authPlugin } from './auth-plugin.js';
import { MAX_PARAM_LENGTH, errorsPlugin } from './errors-plugin.js';
import { SHARED_SCHEMAS } from './shared-schemas.js';
import { serializerCompiler, validatorCompiler } from './validation.js';
import { useSystemParams } from './system-params.js';

/** How long one plugin may take to start before fastify gives up. */
const PLUGIN_TIMEOUT_MS = 120_000;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's `x-request-id` when it is a sane id (it goes into logs), else a new UUID. */
const requestId = (request: IncomingMessage): string => {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
};

/**
 * One log line per request at info: "request completed" with method, URL,
 * status and time. "incoming request" is debug (fastify logs both at info).
 */
class RequestLogs extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}

export interface BaseAppOptions {
  /** A pino logger with the request-log safeguards (see `createApiLogger` / `safeChildLogger`). */
  readonly logger: Logger;
  /** Largest request body in bytes (413 beyond). */
  readonly bodyLimit: number;
  /** Where bearer tokens are verified. */
  readonly store: StoreAreas<'events' | 'tokens'>;
  /** How long a verified token is trusted before Redis is asked again (see AuthOptions). @defaultValue 0 */
  readonly tokenCacheMs?: number;
}

/**
 * A fastify instance with what every Stratus HTTP server shares: request ids,
 * TypeBox validation, JSON-only bodies, Google's standard query parameters
 * (`alt`, `prettyPrint`, `$.xgafv`, `fields`), the Google error shape
 * (404/405/413/415 included) and bearer-token auth. The API (`buildApp`) and the
 * standalone predictor server add their routes to it.
 */
export const createBaseApp = (options: BaseAppOptions): FastifyInstance => {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit,
    genReqId: requestId,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    logController: new RequestLogs(),
    // Plugins may start slow things (the predictor loads TensorFlow.js in its
    // threads); fastify's 10 s default fails start-up on a loaded machine.
    pluginTimeout: PLUGIN_TIMEOUT_MS,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  useJsonOnly(app);
  useSystemParams(app);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  // A callback hook: no promise per request on the hot path.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  void app.register(errorsPlugin, { bodyLimit: options.bodyLimit });
  void app.register(authPlugin, {
    store: options.store,
    ...(options.tokenCacheMs === undefined ? {} : { cacheMs: options.tokenCacheMs }),
  });
  return app;
};
