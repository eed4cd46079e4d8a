import type { StoreContext } from '../context.js';
import { subscribeDeployEvents, type DeployEvent } from '../deploy-events.js';
import {
  publishCancel,
  publishEvent,
  subscribeCancel,
  subscribeEvent,
  subscribeJobStates,
  type CancelEvent,
  type JobStateEvent,
  type JsonValue,
  type Subscription,
} from '../events.js';

/** Pub/sub between the services: cancels, job states, deploys and named events. */
export interface EventArea {
  publishCancel(project: string, jobId: string): Promise<number>;
  subscribeCancel(handler: (event: CancelEvent) => void | Promise<void>): Promise<Subscription>;
  subscribeJobStates(
    handler: (event: JobStateEvent) => void | Promise<void>,
  ): Promise<Subscription>;
  subscribeDeploys(handler: (event: DeployEvent) => void | Promise<void>): Promise<Subscription>;
  publish(event: string, payload: JsonValue): Promise<number>;
  subscribe<T = unknown>(
    event: string,
    handler: (payload: T) => void | Promise<void>,
  ): Promise<Subscription>;
}

export const createEventArea = (ctx: StoreContext): EventArea => ({
  publishCancel: (project, jobId) => publishCancel(ctx, project, jobId),
  subscribeCancel: (handler) => subscribeCancel(ctx, handler),
  subscribeJobStates: (handler) => subscribeJobStates(ctx, handler),
  subscribeDeploys: (handler) => subscribeDeployEvents(ctx, handler),
  publish: (event, payload) => publishEvent(ctx, event, payload),
  subscribe: (event, handler) => subscribeEvent(ctx, event, handler),
});
