import { coerceError } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { logRedisErrors } from './redis-errors.js';

/** A JSON value, what event payloads are. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A cancel request for a job, heard by every worker. */
export interface CancelEvent {
  readonly project: string;
  readonly jobId: string;
}

/** A job's state change, published by the transition script itself. */
export interface JobStateEvent {
  readonly project: string;
  readonly jobId: string;
  readonly from: string;
  readonly to: string;
  readonly time: string;
}

/** A live subscription; close it to unsubscribe and drop its connection. */
export interface Subscription {
  close(): Promise<void>;
}

/** Publish `payload` (JSON) on the event channel `event`; returns how many subscribers got it. */
export const publishEvent = async (
  ctx: StoreContext,
  event: string,
  payload: JsonValue,
): Promise<number> => ctx.redis.publish(ctx.keys.channel(event), JSON.stringify(payload));

/**
 * Call `handler` with each payload published on `event`, on a dedicated
 * connection (a subscribed connection can do nothing else). Resolves once the
 * subscription is active, so nothing published afterwards is missed.
 * A throwing handler is logged, not fatal.
 */
export const subscribeEvent = async <T = unknown>(
  ctx: StoreContext,
  event: string,
  handler: (payload: T) => void | Promise<void>,
): Promise<Subscription> => {
  const channel = ctx.keys.channel(event);
  const connection = ctx.redis.duplicate({ connectionName: `${ctx.keys.prefix}-events` });
  logRedisErrors(connection, ctx.logger, 'events');
  const report = (error: unknown): void =>
    ctx.logger?.error({ err: coerceError(error), event }, 'event handler failed');
  connection.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    try {
      Promise.resolve(handler(JSON.parse(message) as T)).catch(report);
    } catch (error) {
      report(error);
    }
  });
  try {
    await connection.subscribe(channel);
  } catch (error) {
    connection.disconnect();
    throw error;
  }
  return {
    close: async () => {
      await connection.unsubscribe(channel).catch(() => undefined);
      connection.disconnect();
    },
  };
};

/** Ask the workers to stop a job's trials. */
export const publishCancel = (ctx: StoreContext, project: string, jobId: string): Promise<number> =>
  publishEvent(ctx, 'cancel', { project, jobId });

/** Hear cancel requests (workers). */
export const subscribeCancel = (
  ctx: StoreContext,
  handler: (event: CancelEvent) => void | Promise<void>,
): Promise<Subscription> => subscribeEvent<CancelEvent>(ctx, 'cancel', handler);

/** Hear every job state change (published atomically with the change). */
export const subscribeJobStates = (
  ctx: StoreContext,
  handler: (event: JobStateEvent) => void | Promise<void>,
): Promise<Subscription> => subscribeEvent<JobStateEvent>(ctx, 'job-state', handler);
