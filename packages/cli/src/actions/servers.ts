import { once } from 'node:events';
import type { StratusConfig } from '@stratus/config';
import type { ActionHandler, CommandContext } from '../context.js';

/** Resolves when the CLI is interrupted (Ctrl-C, SIGTERM); never without a signal. */
const interrupted = async (ctx: CommandContext): Promise<void> => {
  const { signal } = ctx.io;
  if (signal === undefined) return new Promise<never>(() => undefined);
  if (signal.aborted) return;
  await once(signal, 'abort');
};

/** The environment's config with flag overrides applied as the variables they stand for. */
const configWith = async (
  ctx: CommandContext,
  overrides: Readonly<Record<string, string | undefined>>,
): Promise<Readonly<StratusConfig>> => {
  const { loadConfig } = await import('@stratus/config');
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return loadConfig({ ...ctx.io.env, ...defined }, { homeDir: ctx.io.homeDir, cwd: ctx.io.cwd });
};

interface ListenOptions {
  readonly host?: string;
  readonly port?: number;
}

const listenOverrides = (options: ListenOptions): Record<string, string | undefined> => ({
  STRATUS_HOST: options.host,
  STRATUS_PORT: options.port === undefined ? undefined : String(options.port),
});

/**
 * `stratus serve`: the all-in-one server (`@stratus/serve`'s `startServe`, as
 * `npm start` runs it): Redis found or started, the API, a worker child, the
 * local bucket, an admin token, and this CLI's config pointed at it.
 */
export const serve: ActionHandler<ListenOptions> = async (ctx, _args, options) => {
  const config = await configWith(ctx, listenOverrides(options));
  const { startServe, startupBanner } = await import('@stratus/serve');
  const server = await startServe(config, { env: ctx.io.env, homeDir: ctx.io.homeDir });
  // The token is printed only when generated now; the Redis password never is.
  ctx.printer.out(startupBanner(server, config));
  await interrupted(ctx);
  ctx.printer.info('Stopping: the worker pauses its trials at their checkpoints…');
  await server.close();
};

interface WorkerFlags {
  readonly workerId?: string;
  readonly concurrency?: number;
  readonly queues?: string;
}

/**
 * `stratus worker`: one worker (`@stratus/worker`'s `startWorker`) pulling
 * trials from Redis until interrupted, when it drains: running trials pause
 * at their last checkpoint and go back to the queue.
 */
export const worker: ActionHandler<WorkerFlags> = async (ctx, _args, options) => {
  const config = await configWith(ctx, {
    STRATUS_WORKER_CONCURRENCY:
      options.concurrency === undefined ? undefined : String(options.concurrency),
    STRATUS_QUEUES: options.queues,
  });
  const { createWorkerLogger, startWorker } = await import('@stratus/worker');
  const started = await startWorker(config, {
    logger: createWorkerLogger(config.logLevel),
    env: ctx.io.env,
    ...(options.workerId === undefined ? {} : { workerId: options.workerId }),
  });
  ctx.printer.info(
    `Worker ${started.workerId} is taking trials from ${config.queues.join(', ')} (backend ${started.backend.name}).`,
  );
  await interrupted(ctx);
  ctx.printer.info('Draining: running trials pause at their checkpoints…');
  await started.close();
};

/**
 * `stratus predictor`: a standalone predictor (`@stratus/predictor`'s
 * `startPredictorServer`, as its image runs it) serving the versions in
 * Redis until interrupted; queued requests then get 503, running model
 * calls finish.
 */
export const predictor: ActionHandler<ListenOptions & { threads?: number }> = async (
  ctx,
  _args,
  options,
) => {
  const config = await configWith(ctx, {
    ...listenOverrides(options),
    STRATUS_PREDICTOR_THREADS: options.threads === undefined ? undefined : String(options.threads),
  });
  const [{ createApiLogger }, { startPredictorServer, threadCount }] = await Promise.all([
    import('@stratus/http'),
    import('@stratus/predictor'),
  ]);
  const server = await startPredictorServer(config, {
    logger: createApiLogger({ level: config.logLevel }),
  });
  const threads = threadCount(config.predictor.threads);
  const calls = threads === 0 ? 'model calls on the event loop' : `${threads} model threads`;
  ctx.printer.out(`Stratus predictor is listening: ${server.url} (${calls})\n`);
  await interrupted(ctx);
  ctx.printer.info('Stopping: running model calls finish, queued requests get 503…');
  await server.close();
};

/**
 * `stratus api`: the REST API alone (`@stratus/api`'s `startApiServer`), no
 * worker and no predictor, for deployments that scale each part out; it
 * enqueues trials in Redis for `stratus worker`s.
 */
export const api: ActionHandler<ListenOptions> = async (ctx, _args, options) => {
  const config = await configWith(ctx, listenOverrides(options));
  const { startApiServer } = await import('@stratus/api');
  const server = await startApiServer(config);
  ctx.printer.out(`Stratus API is listening: ${server.url}\n`);
  await interrupted(ctx);
  ctx.printer.info('Stopping: open log streams end, queues close…');
  await server.close();
};
