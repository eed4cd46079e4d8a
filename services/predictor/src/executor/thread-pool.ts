import { Worker } from 'node:worker_threads';
import { StratusError, coerceError, fromWireError } from '@stratus/spec';
import type { PredictRuntime } from '@stratus/config';
import type { CreateStorageOptions } from '@stratus/storage';
import type { BackendPreference } from '@stratus/bundle';
import type { Logger } from '@stratus/spec';
import type { HostTensor, LoadedModel, RunnerMemory } from '@stratus/serving';
import type { ThreadData } from './executor-thread.js';
import type { Executor } from './executor.js';
import { buffersOf, type ThreadReply, type ThreadRequest, type ThreadValue } from './wire.js';

export interface ThreadPoolOptions {
  readonly threads: number;
  /**
   * Batches sent to one thread before it answers the first: with 2, the next
   * batch waits in the thread's queue instead of the thread waiting for the
   * event loop to cut it. @defaultValue 2
   */
  readonly depth?: number;
  readonly storage: CreateStorageOptions;
  readonly backend: BackendPreference;
  /** STRATUS_MAX_MODEL_PARAMS: each thread checks a model.json against it before loading. */
  readonly maxModelParams: number;
  /** STRATUS_PREDICT_ONNX_THREADS: intra-op threads of each thread's ONNX sessions. */
  readonly onnxThreads: number;
  readonly logger?: Logger;
}

type Call = { resolve: (value: ThreadValue) => void; reject: (error: Error) => void };
/** A request before the pool numbers it. */
type Pending = ThreadRequest extends infer R
  ? R extends ThreadRequest
    ? Omit<R, 'id'>
    : never
  : never;

interface Thread {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly calls: Map<number, Call>;
  /** Batches sent and not yet answered. */
  inflight: number;
  /** Loading models into a replacement thread: takes no batches yet. */
  loading: boolean;
  alive: boolean;
}

// Built code starts executor-thread.js; from TypeScript source (tests, tsx) a
// bootstrap registers tsx in the thread first.
const SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./executor-thread.${SOURCE ? 'ts' : 'js'}`, import.meta.url);
const BOOTSTRAP = new URL('./thread-bootstrap.mjs', import.meta.url);

const unavailable = (detail: string): StratusError =>
  new StratusError('PREDICTOR_UNAVAILABLE', { name: 'executor thread', detail });

/**
 * Model calls on worker threads (each answers its batches in order, with up
 * to `depth` queued), so inference stays off the event loop that parses and
 * answers HTTP. Every
 * thread holds every loaded model. A thread that dies fails its calls with
 * 503 and is replaced, reloading the models it held.
 */
export class ThreadPoolExecutor implements Executor {
  readonly slots: number;
  readonly copies: number;
  restarts = 0;
  private readonly threads: Thread[] = [];
  private readonly models = new Map<string, { uri: string; runtime: PredictRuntime }>();
  private readonly waiters: Array<() => void> = [];
  private nextId = 1;
  private closed = false;

  private readonly depth: number;

  constructor(private readonly options: ThreadPoolOptions) {
    this.depth = options.depth ?? 2;
    this.slots = options.threads * this.depth;
    this.copies = options.threads;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.options.threads; i += 1) this.threads.push(this.spawn());
    await Promise.all(this.threads.map((thread) => thread.ready));
  }

  async load(key: string, uri: string, runtime: PredictRuntime): Promise<LoadedModel> {
    const results = await Promise.allSettled(
      this.threads.map((thread) => this.call(thread, { op: 'load', key, uri, runtime })),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      await this.unload(key).catch(() => undefined);
      throw failed.reason;
    }
    this.models.set(key, { uri, runtime });
    const [first] = results;
    return (first as PromiseFulfilledResult<LoadedModel>).value;
  }

  async unload(key: string): Promise<void> {
    this.models.delete(key);
    await Promise.all(
      this.threads.filter((t) => t.alive).map((t) => this.call(t, { op: 'unload', key })),
    );
  }

  async run(key: string, inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    let thread = this.leastBusy();
    while (thread === undefined) {
      if (this.closed) throw unavailable('the predictor is closing');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      thread = this.leastBusy();
    }
    thread.inflight += 1;
    try {
      await thread.ready;
      const request = { op: 'run', key, inputs } as const;
      return (await this.call(thread, request, buffersOf(inputs))) as HostTensor[];
    } finally {
      thread.inflight -= 1;
      this.waiters.shift()?.();
    }
  }

  /** The threads' workers now (replacements included): ops and tests stop one to see it replaced. */
  workers(): Worker[] {
    return this.threads.map((thread) => thread.worker);
  }

  /** The live thread with the fewest batches in flight, if one has room. */
  private leastBusy(): Thread | undefined {
    let best: Thread | undefined;
    for (const thread of this.threads) {
      if (!thread.alive || thread.loading || thread.inflight >= this.depth) continue;
      if (best === undefined || thread.inflight < best.inflight) best = thread;
    }
    return best;
  }

  async memory(): Promise<RunnerMemory[]> {
    const alive = this.threads.filter((thread) => thread.alive);
    return (await Promise.all(alive.map((t) => this.call(t, { op: 'memory' })))) as RunnerMemory[];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private call(
    thread: Thread,
    request: Pending,
    transfer: ArrayBuffer[] = [],
  ): Promise<ThreadValue> {
    if (!thread.alive) return Promise.reject(unavailable('the thread has stopped'));
    const id = this.nextId++;
    return new Promise<ThreadValue>((resolve, reject) => {
      thread.calls.set(id, { resolve, reject });
      thread.worker.postMessage({ ...request, id } as ThreadRequest, transfer);
    });
  }

  private spawn(): Thread {
    const data: ThreadData & { entry: string } = {
      storage: this.options.storage,
      backend: this.options.backend,
      maxModelParams: this.options.maxModelParams,
      onnxThreads: this.options.onnxThreads,
      entry: ENTRY.href,
    };
    const worker = SOURCE
      ? new Worker(BOOTSTRAP, { workerData: data, execArgv: ['--conditions=stratus-src'] })
      : new Worker(ENTRY, { workerData: data });
    const calls = new Map<number, Call>();
    let started: (() => void) | undefined;
    let refused: ((error: Error) => void) | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      refused = reject;
    });
    const thread: Thread = { worker, ready, calls, inflight: 0, loading: false, alive: true };
    worker.on('message', (message: ThreadReply) => {
      if ('ready' in message) {
        if (message.ready) started?.();
        else refused?.(fromWireError(message.error));
        return;
      }
      const call = calls.get(message.id);
      calls.delete(message.id);
      if (message.ok) call?.resolve(message.value);
      else call?.reject(fromWireError(message.error));
    });
    const stopped = (why: string): void => {
      if (!thread.alive) return;
      thread.alive = false;
      refused?.(unavailable(why));
      for (const call of calls.values()) call.reject(unavailable(why));
      calls.clear();
      if (!this.closed) this.replace(thread, why);
    };
    worker.on('error', (error) => stopped(`the thread failed: ${coerceError(error).message}`));
    worker.on('exit', (code) => stopped(`the thread exited with code ${code}`));
    return thread;
  }

  /** Start a thread in place of a dead one and load every model the pool holds into it. */
  private replace(dead: Thread, why: string): void {
    this.options.logger?.error({ why }, 'executor thread stopped; starting another');
    this.restarts += 1;
    const thread = this.spawn();
    const index = this.threads.indexOf(dead);
    if (index >= 0) this.threads[index] = thread;
    thread.loading = true;
    void (async () => {
      try {
        await thread.ready;
        for (const [key, { uri, runtime }] of this.models) {
          await this.call(thread, { op: 'load', key, uri, runtime });
        }
      } catch (error) {
        this.options.logger?.error({ err: coerceError(error) }, 'replacement thread failed');
      } finally {
        thread.loading = false;
        this.waiters.shift()?.();
      }
    })();
  }
}
