/**
 * The Redis every test and benchmark uses: `REDIS_URL`, else the local
 * default. Defined here once; each test still keeps its own key prefix.
 * (Test code only: services read their Redis URL through @stratus/config.)
 */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
