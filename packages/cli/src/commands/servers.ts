import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';
import { parseCountFlag, parseIntegerFlag, parsePositiveFlag } from '../option-parsers.js';

/**
 * `stratus serve`, `worker`, `predictor` and `api`: the same entry points as
 * `npm start` and the service images.
 */
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
  withExamples(
    program
      .command('predictor')
      .description(
        'A standalone predictor: serves the deployed versions (Cloud ML, TF Serving, KServe v2 paths)',
      )
      .option('--host <host>', 'listen address (STRATUS_HOST)')
      .option('--port <port>', 'listen port (STRATUS_PORT)', parseIntegerFlag)
      .option(
        '--threads <n>',
        'model threads; 0 runs model calls on the event loop (STRATUS_PREDICTOR_THREADS)',
        parseCountFlag,
      )
      .action(lazyAction(state, async () => (await load()).predictor)),
    [
      'stratus predictor --port 8081',
      'REDIS_URL=redis://redis:6379 STRATUS_STORAGE=gcs stratus predictor --threads 4',
    ],
  );
  withExamples(
    program
      .command('api')
      .description(
        'The API server alone (no worker, no predictor), for deployments that scale each part',
      )
      .option('--host <host>', 'listen address (STRATUS_HOST)')
      .option('--port <port>', 'listen port (STRATUS_PORT)', parseIntegerFlag)
      .action(lazyAction(state, async () => (await load()).api)),
    [
      'stratus api --port 8080',
      'REDIS_URL=redis://redis:6379 STRATUS_STORAGE=gcs stratus api --host 0.0.0.0',
    ],
  );
};
