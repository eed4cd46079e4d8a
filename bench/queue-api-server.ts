// The API server bench/queue drives, as a child process of its own: `startApiServer` configured
// by the environment (as services/api/src/main.ts is), except that the per-token write rate
// limit is BENCH_WRITE_RATE_LIMIT per minute so the limit does not cap the bench. Its pino logs
// go to stdout at LOG_LEVEL; it sends `{url}` to its parent over IPC, and exits 0 on SIGTERM
// (so a `--cpu-prof` profile is written).
import { startApiServer } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { loadConfig } from '@stratus/config';

const config = loadConfig(process.env);
const server = await startApiServer(config, {
  logger: createApiLogger({ level: config.logLevel }),
  options: { writeRateLimit: Number(process.env.BENCH_WRITE_RATE_LIMIT ?? 10_000_000) },
});
process.send?.({ url: server.url });
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
