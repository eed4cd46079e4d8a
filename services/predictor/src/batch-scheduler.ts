import { StratusError, coerceError } from '@stratus/spec';
import {
  rowSize,
  type HostTensor,
  type PreparedRequest,
  type RequestOutputs,
} from '@stratus/serving';
import type { Executor } from './executor/executor.js';

/** Dynamic batching of one version. */
export interface BatchingPolicy {
  /** Most rows in one model call. */
  readonly maxBatchSize: number;
  /** How long the oldest queued row may wait for the batch to fill. */
  readonly maxLatencyMs: number;
}

/** What is waiting and running for one version now. */
export interface QueueDepth {
  readonly key: string;
  /** Rows queued, not yet in a model call. */
  readonly rows: number;
  /** Model calls of the version running now. */
  readonly inflight: number;
}

/** Model calls and rows so far, per version. */
export interface BatchStats {
  readonly requests: number;
  readonly calls: number;
  readonly rows: number;
}

interface Pending {
  readonly request: PreparedRequest;
  remaining: number;
  outputs: (Float32Array | Int32Array)[] | undefined;
  outputShapes: number[][] | undefined;
  settled: boolean;
  resolve(value: RequestOutputs): void;
  reject(error: Error): void;
}

interface Piece {
  readonly pending: Pending;
  readonly start: number;
  readonly count: number;
  readonly arrival: number;
  /** Run alone: its request was in a batch that failed, so it is retried by itself. */
  readonly solo: boolean;
}

interface VersionQueue {
  readonly key: string;
  name: string;
  policy: BatchingPolicy;
  pieces: Piece[];
  rows: number;
  inflight: number;
  stats: { requests: number; calls: number; rows: number };
  idle: Array<() => void>;
}

/**
 * Per-version queues feeding the executor. A batch is cut when a slot is
 * free and the version has `maxBatchSize` rows queued or its oldest row has
 * waited `maxLatencyMs`; while every slot is busy, rows pile up and the next
 * batch is larger. A request larger than `maxBatchSize` is split across
 * batches; outputs are copied back per request, in order. A batch that fails
 * is retried request by request, so one bad request fails alone. Each
 * version's queue is bounded (`maxQueuedRows`): beyond it, 429.
 */
export class BatchScheduler {
  private readonly queues = new Map<string, VersionQueue>();
  private inflight = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private closedWith: StratusError | undefined;

  constructor(
    private readonly executor: Executor,
    private readonly maxQueuedRows: number,
    /** Told of every model call as it starts (metrics). */
    private readonly onBatch: (key: string, rows: number) => void = () => undefined,
  ) {}

  /** Queue a request's rows for `key`; resolves with its outputs. */
  submit(
    key: string,
    name: string,
    policy: BatchingPolicy,
    request: PreparedRequest,
  ): Promise<RequestOutputs> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    const queue = this.queue(key, name, policy);
    if (queue.rows > 0 && queue.rows + request.rows > this.maxQueuedRows) {
      return Promise.reject(
        new StratusError('PREDICT_OVERLOADED', {
          name,
          detail: `${queue.rows} rows are waiting and the limit is ${this.maxQueuedRows}`,
        }),
      );
    }
    queue.stats.requests += 1;
    return new Promise<RequestOutputs>((resolve, reject) => {
      const pending: Pending = {
        request,
        remaining: request.rows,
        outputs: undefined,
        outputShapes: undefined,
        settled: false,
        resolve,
        reject,
      };
      const arrival = performance.now();
      for (let start = 0; start < request.rows; start += policy.maxBatchSize) {
        const count = Math.min(policy.maxBatchSize, request.rows - start);
        queue.pieces.push({ pending, start, count, arrival, solo: false });
      }
      queue.rows += request.rows;
      this.schedule();
    });
  }

  /** Whether `key` has rows queued or in a model call (it must not be unloaded now). */
  busy(key: string): boolean {
    const queue = this.queues.get(key);
    return queue !== undefined && (queue.rows > 0 || queue.inflight > 0);
  }

  /** Resolves once `key` has nothing queued or running. */
  drained(key: string): Promise<void> {
    const queue = this.queues.get(key);
    if (queue === undefined || !this.busy(key)) return Promise.resolve();
    return new Promise((resolve) => queue.idle.push(resolve));
  }

  /** Rows waiting and calls running, per version that has a queue. */
  depths(): QueueDepth[] {
    return [...this.queues.values()].map(({ key, rows, inflight }) => ({ key, rows, inflight }));
  }

  stats(key: string): BatchStats {
    const stats = this.queues.get(key)?.stats;
    return stats === undefined ? { requests: 0, calls: 0, rows: 0 } : { ...stats };
  }

  /** Refuse new requests and fail queued ones with `error`; calls in flight finish. */
  close(error: StratusError): void {
    this.closedWith = error;
    clearTimeout(this.timer);
    for (const queue of this.queues.values()) {
      for (const piece of queue.pieces) this.settle(piece.pending, error);
      queue.pieces = [];
      queue.rows = 0;
      this.notifyIdle(queue);
    }
  }

  private queue(key: string, name: string, policy: BatchingPolicy): VersionQueue {
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = {
        key,
        name,
        policy,
        pieces: [],
        rows: 0,
        inflight: 0,
        stats: { requests: 0, calls: 0, rows: 0 },
        idle: [],
      };
      this.queues.set(key, queue);
    }
    queue.name = name;
    queue.policy = policy;
    return queue;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the current I/O phase, so requests that arrived together share a batch.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inflight < this.executor.slots && this.closedWith === undefined) {
      const now = performance.now();
      let next: VersionQueue | undefined;
      let wait = Infinity;
      for (const queue of this.queues.values()) {
        const head = queue.pieces[0];
        if (head === undefined) continue;
        const due = head.arrival + queue.policy.maxLatencyMs;
        if (queue.rows >= queue.policy.maxBatchSize || head.solo || due <= now) {
          if (next === undefined || head.arrival < (next.pieces[0]?.arrival ?? Infinity)) {
            next = queue;
          }
        } else {
          wait = Math.min(wait, due - now);
        }
      }
      if (next === undefined) {
        if (wait < Infinity) this.timer = setTimeout(() => this.pump(), Math.ceil(wait));
        return;
      }
      this.dispatch(next, this.cut(next));
    }
  }

  /** Take up to maxBatchSize rows of one shape from the head of the queue. */
  private cut(queue: VersionQueue): Piece[] {
    const batch: Piece[] = [];
    let rows = 0;
    const first = queue.pieces[0];
    const shapeKey = first?.pending.request.shapeKey;
    while (rows < queue.policy.maxBatchSize) {
      const piece = queue.pieces[0];
      if (piece === undefined || piece.pending.request.shapeKey !== shapeKey) break;
      if (batch.length > 0 && (piece.solo || first?.solo === true)) break;
      const take = Math.min(piece.count, queue.policy.maxBatchSize - rows);
      if (take === piece.count) queue.pieces.shift();
      else queue.pieces[0] = { ...piece, start: piece.start + take, count: piece.count - take };
      queue.rows -= take;
      rows += take;
      if (!piece.pending.settled) batch.push({ ...piece, count: take });
    }
    return batch;
  }

  private dispatch(queue: VersionQueue, pieces: Piece[]): void {
    if (pieces.length === 0) return;
    this.inflight += 1;
    queue.inflight += 1;
    const rows = pieces.reduce((sum, piece) => sum + piece.count, 0);
    queue.stats.calls += 1;
    queue.stats.rows += rows;
    this.onBatch(queue.key, rows);
    this.executor
      .run(queue.key, concatenate(pieces, rows))
      .then(
        (outputs) => this.distribute(queue, pieces, rows, outputs),
        (error: unknown) => this.fail(queue, pieces, error),
      )
      .finally(() => {
        this.inflight -= 1;
        queue.inflight -= 1;
        this.notifyIdle(queue);
        this.schedule();
      });
  }

  private distribute(
    queue: VersionQueue,
    pieces: readonly Piece[],
    rows: number,
    outputs: readonly HostTensor[],
  ): void {
    const short = outputs.find((output) => output.shape[0] !== rows);
    if (short !== undefined) {
      const detail = `model returned ${String(short.shape[0])} rows for a batch of ${rows}`;
      this.fail(queue, pieces, new StratusError('INTERNAL', { detail }));
      return;
    }
    let offset = 0;
    for (const { pending, start, count } of pieces) {
      if (!pending.settled) {
        const total = pending.request.rows;
        pending.outputShapes ??= outputs.map((output) => [total, ...output.shape.slice(1)]);
        pending.outputs ??= outputs.map((output) =>
          output.data instanceof Int32Array
            ? new Int32Array(total * rowSize(output.shape.slice(1)))
            : new Float32Array(total * rowSize(output.shape.slice(1))),
        );
        outputs.forEach((output, i) => {
          const size = rowSize(output.shape.slice(1));
          const rowsOut = output.data.subarray(offset * size, (offset + count) * size);
          pending.outputs?.[i]?.set(rowsOut, start * size);
        });
        pending.remaining -= count;
        if (pending.remaining === 0) {
          pending.settled = true;
          const shapes = pending.outputShapes;
          const data = pending.outputs;
          pending.resolve({
            rows: total,
            outputs: data.map((array, i) => ({ data: array, shape: shapes[i] ?? [total] })),
          });
        }
      }
      offset += count;
    }
  }

  /** A failed batch: alone, its request fails; merged, each request is retried alone. */
  private fail(queue: VersionQueue, pieces: readonly Piece[], raw: unknown): void {
    const error =
      raw instanceof StratusError
        ? raw
        : new StratusError('INTERNAL', {
            detail: `model call failed: ${coerceError(raw).message}`,
          });
    const requests = new Set(pieces.map((piece) => piece.pending));
    if (requests.size === 1 || error.reason === 'PREDICTOR_UNAVAILABLE') {
      for (const pending of requests) this.settle(pending, error);
      return;
    }
    const retries = pieces
      .filter((piece) => !piece.pending.settled)
      .map((piece) => ({ ...piece, solo: true }));
    queue.pieces.unshift(...retries);
    queue.rows += retries.reduce((sum, piece) => sum + piece.count, 0);
  }

  private settle(pending: Pending, error: Error): void {
    if (pending.settled) return;
    pending.settled = true;
    pending.reject(error);
  }

  private notifyIdle(queue: VersionQueue): void {
    if (queue.rows > 0 || queue.inflight > 0) return;
    for (const resolve of queue.idle.splice(0)) resolve();
  }
}

/** One array per model input holding the pieces' rows back to back (new buffers, transferable). */
const concatenate = (pieces: readonly Piece[], rows: number): HostTensor[] => {
  const { request } = pieces[0]?.pending ?? { request: undefined };
  if (request === undefined) return [];
  return request.inputs.map((input, i) => {
    const shape = request.rowShapes[i] ?? [];
    const size = rowSize(shape);
    const data =
      input instanceof Int32Array ? new Int32Array(rows * size) : new Float32Array(rows * size);
    let offset = 0;
    for (const piece of pieces) {
      const source = piece.pending.request.inputs[i];
      if (source !== undefined) {
        data.set(source.subarray(piece.start * size, (piece.start + piece.count) * size), offset);
      }
      offset += piece.count * size;
    }
    return { data, shape: [rows, ...shape] };
  });
};
