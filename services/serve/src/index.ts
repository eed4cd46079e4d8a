export { startServe, type ServeOptions, type StratusServer } from './serve.js';
export {
  ensureRedis,
  redisAnswers,
  type EnsureRedisOptions,
  type ServeRedis,
} from './embedded-redis.js';
export { resolveAdminToken, type AdminToken } from './admin-token.js';
export { startWorkerChild, type WorkerChild, type WorkerChildOptions } from './worker-child.js';
export { startupBanner } from './banner.js';
