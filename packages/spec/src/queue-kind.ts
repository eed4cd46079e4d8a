/** The trial queues: CPU jobs may run anywhere, GPU jobs only on workers that pull `gpu`. */
export const QUEUE_KINDS = ['cpu', 'gpu'] as const;

/** Which trial queue a job's trials go to (and a worker pulls from, `STRATUS_QUEUES`). */
export type QueueKind = (typeof QUEUE_KINDS)[number];
