import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';
import { parseIntegerFlag, parsePositiveFlag } from '../option-parsers.js';

/** `stratus serve` and `stratus worker`: the same entry points as `npm start` and the worker image. */
export const registerServers = (program: Command, state: RunState): void => {
  const load = () => import('../actions/servers.js');
  withExamples(
    program
      .command('serve')
      .description(
        "All-in-one server: API, a worker, local bucket, Redis (found or started); writes this CLI's config",
      )
      .option('--host <host>', 'listen address (STRATUS_HOST)')
      .option('--port <port>', 'listen port (STRATUS_PORT)', parseIntegerFlag)
      .action(lazyAction(state, async () => (await load()).serve)),
    ['stratus serve', 'STRATUS_HOME=/srv/stratus stratus serve --port 9090'],
  );
  withExamples(
    program
      .command('worker')
      .description('A worker: runs trials from Redis until interrupted, then drains to checkpoints')
      .option('--worker-id <id>', 'name shown in the workers list')
      .option('--concurrency <n>', 'trials at once (STRATUS_WORKER_CONCURRENCY)', parsePositiveFlag)
      .option('--queues <kinds>', 'cpu, gpu or cpu,gpu (STRATUS_QUEUES)')
      .action(lazyAction(state, async () => (await load()).worker)),
    [
      'stratus worker --concurrency 2',
      'REDIS_URL=redis://redis:6379 STRATUS_STORAGE=gcs stratus worker --queues gpu',
    ],
  );
};
