import type { FastifyPluginAsync, onRequestAsyncHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StratusConfig } from '@stratus/config';
import { DEFAULT_HTTP_OPTIONS, type HttpOptions } from '@stratus/http';
import type { Storage } from '@stratus/storage';
import type { JobStore, TrialQueues } from '@stratus/store';

/** Tunables of the HTTP API, all with defaults ({@link DEFAULT_API_OPTIONS}). */
export interface ApiOptions extends HttpOptions {
  /** Write requests (create, cancel, token changes) one token may make per window. @defaultValue 600 */
  readonly writeRateLimit: number;
  /** The rate-limit window in ms. @defaultValue 60000 */
  readonly rateLimitWindowMs: number;
  /** SSE heartbeat comment interval in ms. @defaultValue 15000 */
  readonly sseHeartbeatMs: number;
}

export const DEFAULT_API_OPTIONS: ApiOptions = Object.freeze({
  ...DEFAULT_HTTP_OPTIONS,
  writeRateLimit: 600,
  rateLimitWindowMs: 60_000,
  sseHeartbeatMs: 15_000,
});

/** Everything `buildApp` needs; the caller owns (and closes) these. */
export interface ApiDeps {
  readonly config: Readonly<StratusConfig>;
  readonly store: JobStore;
  readonly storage: Storage;
  /** The connection the store uses; /readyz PINGs it. */
  readonly redis: Redis;
  readonly queues: TrialQueues;
  /** A pino logger (see `createApiLogger`, which redacts credentials). @defaultValue one at config.logLevel */
  readonly logger?: Logger;
  readonly options?: Partial<ApiOptions>;
  /** Route plugins mounted after the API's own, e.g. `predictorPlugin()` from `@stratus/predictor`. */
  readonly plugins?: readonly ApiPlugin[];
  /**
   * The built dashboard served at `/` (when it holds an index.html); `false`
   * serves none. @defaultValue services/dashboard/dist
   */
  readonly dashboardDir?: string | false;
}

/** What the route plugins receive. */
export interface RouteDeps {
  readonly config: Readonly<StratusConfig>;
  readonly store: JobStore;
  readonly storage: Storage;
  readonly redis: Redis;
  readonly queues: TrialQueues;
  readonly options: ApiOptions;
  /** The per-token rate limit every write route runs (one budget shared by all of them). */
  readonly writeLimit: onRequestAsyncHookHandler;
}

/** A route plugin the API mounts beside its own (the predictor in the all-in-one server). */
export type ApiPlugin = FastifyPluginAsync<RouteDeps>;
