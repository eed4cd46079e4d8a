import type { FastifyInstance } from 'fastify';
import type { StratusConfig } from '@stratus/config';

/** A listening fastify app and how to stop it. */
export interface ListeningApp {
  readonly app: FastifyInstance;
  /** `http://host:port` it listens on (the real port when config.port is 0). */
  readonly url: string;
  /** Stop listening (open SSE streams are ended), then release what the app used. */
  close(): Promise<void>;
}

/**
 * Build an app and listen on config.host:config.port. `release` closes what
 * the app uses (queues, storage, Redis): after the app on `close()`, or at
 * once when building or listening fails (the app, if built, is closed first).
 */
export const listenApp = async (
  config: Pick<StratusConfig, 'host' | 'port'>,
  build: () => Promise<FastifyInstance>,
  release: () => Promise<void>,
): Promise<ListeningApp> => {
  let app: FastifyInstance | undefined;
  try {
    app = await build();
    const url = await app.listen({ host: config.host, port: config.port });
    const listening = app;
    return {
      app: listening,
      url,
      close: async () => {
        await listening.close();
        await release();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await release();
    throw error;
  }
};
