export {
  DEFAULT_WAIT_OPTIONS,
  StratusClient,
  type HealthStatus,
  type ListJobsOptions,
  type ListOperationsOptions,
  type ListOperationsPage,
  type PatchOptions,
  type ListPageOptions,
  type PredictOptions,
  type WaitOptions,
  type ListStreamOptions,
  type StratusClientOptions,
} from './client.js';
export { StratusApiError, errorFromResponse } from './api-error.js';
export { parseEventStream, type EventStreamOptions, type ServerSentEvent } from './event-stream.js';
export { followEvents, type FollowOptions, type WithEventId } from './follow.js';
export {
  Transport,
  type FetchLike,
  type Query,
  type RequestOptions,
  type TransportOptions,
} from './transport.js';
