import { Type, type Static } from '@sinclair/typebox';
import { TimestampSchema } from './timestamp.js';

/** A live worker, from its last heartbeat (`GET /v1/workers`). */
export const WorkerSchema = Type.Object(
  {
    workerId: Type.String(),
    /** The TensorFlow.js backend it got (`tensorflow`, `wasm`, `cpu`). */
    backend: Type.String(),
    gpu: Type.Union([Type.String(), Type.Null()]),
    queues: Type.Array(Type.String()),
    /** Trials running on it now, of every project (a load figure: it names none of them). */
    busyTrials: Type.Integer(),
    /**
     * The running trials the caller may see, as `project/job/trial`: all of them for an
     * admin token (project `*`), only its own project's for any other token.
     */
    busyTrialIds: Type.Array(Type.String()),
    capacity: Type.Integer(),
    load: Type.Number(),
    host: Type.String(),
    /** The worker's process id: shown to admin tokens (project `*`) only. */
    pid: Type.Optional(Type.Integer()),
    lastHeartbeatTime: TimestampSchema,
    expireTime: TimestampSchema,
  },
  { $id: 'Worker' },
);
export type Worker = Static<typeof WorkerSchema>;

/** How many trials wait, run and wait to be retried on one queue. */
export const QueueDepthSchema = Type.Object(
  {
    /** `cpu` or `gpu`. */
    kind: Type.String(),
    waiting: Type.Integer(),
    active: Type.Integer(),
    delayed: Type.Integer(),
  },
  { $id: 'QueueDepth' },
);
export type QueueDepth = Static<typeof QueueDepthSchema>;

export const ListWorkersResponseSchema = Type.Object(
  { workers: Type.Array(WorkerSchema), queues: Type.Array(QueueDepthSchema) },
  { $id: 'ListWorkersResponse' },
);
export type ListWorkersResponse = Static<typeof ListWorkersResponseSchema>;
