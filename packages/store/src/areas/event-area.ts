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
  publishCancel: publishCancel.bind(undefined, ctx),
  subscribeCancel: subscribeCancel.bind(undefined, ctx),
  subscribeJobStates: subscribeJobStates.bind(undefined, ctx),
  subscribeDeploys: subscribeDeployEvents.bind(undefined, ctx),
  publish: publishEvent.bind(undefined, ctx),
  subscribe: subscribeEvent.bind(undefined, ctx),
});
