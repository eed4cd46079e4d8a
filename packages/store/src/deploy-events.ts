import type { StoreContext } from './context.js';
import { subscribeEvent, type Subscription } from './events.js';

/** What happened to a model or version; published by the store's scripts themselves. */
export const DEPLOY_EVENT_TYPES = [
  'create',
  'ready',
  'failed',
  'set-default',
  'delete',
  'delete-model',
] as const;
export type DeployEventType = (typeof DEPLOY_EVENT_TYPES)[number];

/** A deploy event on the `deploy` channel (`version` is absent for `delete-model`). */
export interface DeployEvent {
  readonly type: DeployEventType;
  readonly project: string;
  readonly model: string;
  readonly version?: string;
}

/**
 * Hear every deploy event (created, READY/FAILED, new default, deleted), as
 * published atomically with the change; predictors keep their caches by it.
 */
export const subscribeDeployEvents = (
  ctx: StoreContext,
  handler: (event: DeployEvent) => void | Promise<void>,
): Promise<Subscription> => subscribeEvent<DeployEvent>(ctx, 'deploy', handler);
