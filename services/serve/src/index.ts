export { startServe, type ServeOptions, type StratusServer } from './serve.js';
export { ensureRedis, type EnsureRedisOptions, type ServeRedis } from './embedded-redis.js';
export {
  probeRedis,
  redisAnswers,
  type RedisProbe,
  startRedisServer,
  type RedisServerOptions,
  type RedisServerProcess,
} from './redis-server.js';
export { resolveAdminToken, type AdminToken } from './admin-token.js';
export { startWorkerChild, type WorkerChild, type WorkerChildOptions } from './worker-child.js';
export { startupBanner } from './banner.js';
