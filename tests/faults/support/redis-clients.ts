/** Watch a restarted Redis for the connections Stratus processes open again by themselves. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createKeys } from '@stratus/store';

/** What a Redis shows of its clients: their names and each channel's subscriber count. */
export interface ClientView {
  /** `CLIENT LIST` names. */
  readonly names: readonly string[];
  subscribers(channel: string): Promise<number>;
}

/**
 * Poll `url` every `everyMs` until every check holds; resolves with the
 * milliseconds each one took to hold (from the call), or throws after `timeoutMs`
 * naming those that never did.
 */
export const timeUntilConnected = async (
  url: string,
  checks: Readonly<Record<string, (view: ClientView) => boolean | Promise<boolean>>>,
  timeoutMs = 20_000,
  everyMs = 20,
): Promise<Record<string, number>> => {
  const started = Date.now();
  const redis = new Redis(url);
  redis.on('error', () => undefined);
  const took: Record<string, number> = {};
  try {
    for (;;) {
      const list = (await redis.client('LIST')) as string;
      const view: ClientView = {
        names: [...list.matchAll(/ name=(\S*)/g)].map((match) => match[1] ?? ''),
        subscribers: async (channel) => {
          const reply = (await redis.pubsub('NUMSUB', channel)) as [string, number];
          return Number(reply[1]);
        },
      };
      for (const [name, check] of Object.entries(checks)) {
        if (took[name] === undefined && (await check(view))) took[name] = Date.now() - started;
      }
      const missing = Object.keys(checks).filter((name) => took[name] === undefined);
      if (missing.length === 0) return took;
      if (Date.now() - started > timeoutMs) {
        throw new Error(`not reconnected after ${timeoutMs} ms: ${missing.join(', ')}`);
      }
      await sleep(everyMs);
    }
  } finally {
    redis.disconnect();
  }
};

/**
 * How long after the call each connection of a Stratus installation (`prefix`)
 * with one worker and a predictor is back: the worker's store and BullMQ
 * connections and its cancel subscription, the predictor's deploy subscription.
 */
export const stratusReconnects = (
  url: string,
  prefix: string,
  workerId: string,
): Promise<Record<string, number>> => {
  const keys = createKeys(prefix);
  const subscribed = (channel: string) => async (view: ClientView) =>
    (await view.subscribers(keys.channel(channel))) > 0;
  return timeUntilConnected(url, {
    workerStore: (view) => view.names.includes(`${prefix}-worker`),
    workerQueue: (view) => view.names.some((name) => name.endsWith(`:w:${workerId}`)),
    workerCancelSubscription: subscribed('cancel'),
    predictorDeploySubscription: subscribed('deploy'),
  });
};
