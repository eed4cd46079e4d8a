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
    busyTrials: Type.Integer(),
    capacity: Type.Integer(),
    load: Type.Number(),
    host: Type.String(),
    pid: Type.Integer(),
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
