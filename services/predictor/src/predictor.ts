import { availableParallelism } from 'node:os';
import {
  storageOptionsFromConfig,
  type PredictorConfig,
  type StratusConfig,
} from '@stratus/config';
import { StratusError, coerceError, versionUriUses } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import type { DeployEvent, StoreAreas, Subscription, VersionOutcome } from '@stratus/store';
import { selectBackend } from '@stratus/bundle';
import { BatchScheduler, type BatchStats, type QueueDepth } from './batch-scheduler.js';
import type { Executor } from './executor/executor.js';
import { InlineExecutor } from './executor/inline-executor.js';
import {
  type PreparedRequest,
  type RequestOutputs,
  NOT_LOADED,
  type RunnerMemory,
  type ModelSignature,
} from '@stratus/serving';
import { ThreadPoolExecutor } from './executor/thread-pool.js';
import type { Logger } from '@stratus/spec';
import { ModelRegistry, type LoadedVersion } from './model-registry.js';
import { VersionResolver, type PredictTarget, type ResolvedVersion } from './version-resolver.js';

/**
 * Worker threads for `threads`: `auto` is cores − 1 (at least 1, at most 4), so
 * inference leaves the event loop that parses and answers HTTP; on one core
 * model calls stay on the event loop.
 */
export const threadCount = (threads: number | 'auto', cores = availableParallelism()): number =>
  threads !== 'auto' ? threads : cores <= 1 ? 0 : Math.max(1, Math.min(cores - 1, 4));

export interface PredictorOptions {
  readonly config: Readonly<StratusConfig>;
  readonly store: StoreAreas<'buckets' | 'events' | 'models' | 'versions'>;
  /** Where bundles are read on the event loop (threads make their own client from config). */
  readonly storage: Storage;
  readonly logger?: Logger;
  /**
   * Where model calls run. @defaultValue a ThreadPoolExecutor of `threads`
   * threads, or an InlineExecutor for 0 (the predictor starts and closes it either way)
   */
  readonly executor?: Executor;
  /** Overrides of `config.predictor` (threads, memory budget, batching defaults, limits). */
  readonly limits?: Partial<PredictorConfig>;
  /** How long a resolved version is trusted without a deploy event. @defaultValue 5000 */
  readonly resolveTtlMs?: number;
  /** Least time between two lastUseTime stamps of one version. @defaultValue 60000 */
  readonly touchIntervalMs?: number;
  /**
   * How often versions still CREATING are looked for again (0: only at
   * start), so one whose deploy event was missed (the subscription was
   * reconnecting) or whose READY write a Redis crash lost still becomes READY.
   * @defaultValue 10000
   */
  readonly pendingSweepMs?: number;
}

/** The defaults of PredictorOptions' timings, each defined here once. */
export const DEFAULT_PREDICTOR_OPTIONS = Object.freeze({
  resolveTtlMs: 5_000,
  touchIntervalMs: 60_000,
  pendingSweepMs: 10_000,
});

/** A prediction: the version that served it, its signature and the request's outputs. */
export interface PredictResult {
  readonly version: ResolvedVersion;
  readonly signature: ModelSignature;
  readonly outputs: RequestOutputs;
}

const isNotLoaded = (error: unknown): boolean =>
  error instanceof StratusError &&
  error.reason === 'PREDICTOR_UNAVAILABLE' &&
  error.context.detail === NOT_LOADED;

/** A load failure as the version's errorMessage: the bundle's own error, or BUNDLE_INVALID naming it. */
const bundleError = (error: unknown, uri: string): StratusError =>
  error instanceof StratusError
    ? error
    : new StratusError(
        'BUNDLE_INVALID',
        { uri, detail: coerceError(error).message },
        { cause: error },
      );

/**
 * The predictor (docs/architecture.md): resolves versions (cached, kept fresh by deploy
 * events), loads and warms bundles into an LRU bounded by a memory budget,
 * reports versions READY or FAILED (the first predictor to load one reports),
 * and runs requests through per-version dynamic batching on the executor.
 */
export class Predictor {
  readonly limits: PredictorConfig;
  /** Worker threads running model calls (0: the event loop). */
  readonly threads: number;
  private readonly executor: Executor;
  private readonly scheduler: BatchScheduler;
  private readonly registry: ModelRegistry;
  private readonly resolver: VersionResolver;
  private readonly touched = new Map<string, number>();
  private readonly batchListeners = new Set<(key: string, rows: number) => void>();
  private subscription: Subscription | undefined;
  private background: Promise<void> = Promise.resolve();
  private sweep: NodeJS.Timeout | undefined;
  private started = false;
  private closed = false;

  constructor(private readonly options: PredictorOptions) {
    this.limits = { ...options.config.predictor, ...options.limits };
    const { executor } = options;
    this.threads =
      executor === undefined
        ? threadCount(this.limits.threads)
        : executor instanceof InlineExecutor
          ? 0
          : executor.copies;
    this.executor =
      options.executor ??
      (this.threads === 0
        ? new InlineExecutor(options.storage, {
            maxModelParams: options.config.limits.maxModelParams,
            onnxThreads: this.limits.onnxThreads,
          })
        : new ThreadPoolExecutor({
            threads: this.threads,
            storage: storageOptionsFromConfig(options.config),
            backend: options.config.tfjsBackend,
            maxModelParams: options.config.limits.maxModelParams,
            onnxThreads: this.limits.onnxThreads,
            ...(options.logger === undefined ? {} : { logger: options.logger }),
          }));
    this.scheduler = new BatchScheduler(this.executor, this.limits.maxQueuedRows, (key, rows) => {
      for (const listener of this.batchListeners) listener(key, rows);
    });
    this.registry = new ModelRegistry(this.executor, {
      memoryBytes: this.limits.memoryBytes,
      busy: (key) => this.scheduler.busy(key),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    this.resolver = new VersionResolver(
      options.store,
      options.resolveTtlMs ?? DEFAULT_PREDICTOR_OPTIONS.resolveTtlMs,
    );
  }

  /** Whether it serves: started and not closing. */
  get ready(): boolean {
    return this.started && !this.closed;
  }

  /**
   * Start the executor, follow deploy events, and load (in the background)
   * every version still CREATING, so versions deployed while no predictor ran become READY.
   */
  async start(): Promise<void> {
    const { config, logger } = this.options;
    if (this.threads === 0) {
      await selectBackend(config.tfjsBackend, logger === undefined ? {} : { logger });
    }
    await this.executor.start();
    this.subscription = await this.options.store.events.subscribeDeploys((event) =>
      this.onEvent(event),
    );
    this.started = true;
    this.background = this.loadPending();
    const sweepMs = this.options.pendingSweepMs ?? DEFAULT_PREDICTOR_OPTIONS.pendingSweepMs;
    if (sweepMs > 0) {
      this.sweep = setInterval(() => {
        this.background = Promise.all([this.background, this.loadPending()]).then(() => undefined);
      }, sweepMs).unref();
    }
  }

  /** Refuse new requests (503), fail queued ones, stop following events and the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweep);
    this.scheduler.close(this.unavailable('predictor', 'it is shutting down'));
    await this.subscription?.close();
    await this.background;
    await this.executor.close();
  }

  /** Predict on the target version: `prepare` validates and featurizes for its signature. */
  async predict(
    target: PredictTarget,
    prepare: (signature: ModelSignature) => PreparedRequest,
  ): Promise<PredictResult> {
    let { version, loaded } = await this.describe(target);
    const prepared = prepare(loaded.signature);
    if (prepared.rows > this.limits.maxInstances) {
      throw new StratusError('INVALID_PREDICT_REQUEST', {
        detail: `instances: ${prepared.rows} instances are more than the limit of ${this.limits.maxInstances}`,
      });
    }
    let outputs: RequestOutputs;
    try {
      outputs = await this.submit(version, prepared);
    } catch (error) {
      if (!isNotLoaded(error)) throw error;
      // Unloaded under us (evicted, or deleted): look the version up again and retry once.
      version = await this.resolver.lookup(target);
      loaded = await this.load(version);
      outputs = await this.submit(version, prepared);
    }
    this.touch(version);
    return { version, signature: loaded.signature, outputs };
  }

  /** The target's version, loaded: what its metadata is read from. */
  async describe(
    target: PredictTarget,
  ): Promise<{ version: ResolvedVersion; loaded: LoadedVersion }> {
    if (this.closed) throw this.unavailable(target.model, 'it is shutting down');
    const version = await this.resolver.resolve(target);
    if (version.state !== 'READY' && version.state !== 'CREATING') {
      throw new StratusError('VERSION_NOT_READY', { name: version.name, state: version.state });
    }
    return { version, loaded: await this.load(version) };
  }

  /** Model calls, rows and requests of a version (`project/model/version`). */
  stats(key: string): BatchStats {
    return this.scheduler.stats(key);
  }

  /** Call `listener` with the version key and row count of every model call as it starts. */
  onBatch(listener: (key: string, rows: number) => void): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  /** Rows queued and calls running per version (what /metrics reports as queue depth). */
  queueDepths(): QueueDepth[] {
    return this.scheduler.depths();
  }

  /** Weight bytes of every loaded version, all copies (against `limits.memoryBytes`). */
  loadedBytes(): number {
    return this.registry.usedBytes();
  }

  /** Executor threads replaced after one died, since start. */
  get threadRestarts(): number {
    return this.executor.restarts;
  }

  /** tfjs memory of every runner (one per thread). */
  memory(): Promise<RunnerMemory[]> {
    return this.executor.memory();
  }

  /** Keys of the versions loaded now. */
  loadedVersions(): string[] {
    return this.registry.keys();
  }

  /** Resolves when the loads started so far in the background (pending versions, events) end. */
  settled(): Promise<void> {
    return this.background;
  }

  private submit(version: ResolvedVersion, prepared: PreparedRequest): Promise<RequestOutputs> {
    const policy = {
      maxBatchSize: version.batching?.maxBatchSize ?? this.limits.maxBatchSize,
      maxLatencyMs: version.batching?.maxLatencyMs ?? this.limits.maxLatencyMs,
    };
    return this.scheduler.submit(version.key, version.name, policy, prepared);
  }

  /** Load (or find loaded) a version; a CREATING one is reported READY or FAILED. */
  private async load(version: ResolvedVersion): Promise<LoadedVersion> {
    let loaded: LoadedVersion;
    try {
      // Before reading a bundle: the version's project must still own or be granted its bucket.
      if (this.registry.get(version.key)?.uri !== version.deploymentUri) {
        await this.options.store.buckets.authorize(
          version.project,
          versionUriUses(version.deploymentUri),
        );
      }
      // A framework: ONNX version has only model.onnx; others follow STRATUS_PREDICT_RUNTIME.
      const runtime = version.framework === 'ONNX' ? 'onnx' : this.limits.runtime;
      loaded = await this.registry.ensure(version.key, version.deploymentUri, runtime);
    } catch (raw) {
      const error = bundleError(raw, version.deploymentUri);
      if (version.state !== 'CREATING') throw this.unavailable(version.name, error.message);
      // Storage hiccups are retryable: the version stays CREATING for the next try.
      if (!error.retryable) await this.report(version, { state: 'FAILED', error });
      throw error;
    }
    if (version.state === 'CREATING' && !(await this.report(version, { state: 'READY' }))) {
      // The deploy ended while it loaded (cancelled, or failed elsewhere): keep nothing of it.
      await this.registry.unload(version.key);
      throw new StratusError('VERSION_NOT_READY', { name: version.name, state: 'FAILED' });
    }
    return loaded;
  }

  /**
   * Report how loading a CREATING version ended; false when the deploy had
   * already ended otherwise (FAILED, cancelled, or replaced), true when this
   * report counted, another READY one did, or the report could not be made.
   */
  private async report(version: ResolvedVersion, outcome: VersionOutcome): Promise<boolean> {
    const { store, logger } = this.options;
    try {
      const result = await store.versions.finish(
        version.project,
        version.model,
        version.version,
        outcome,
      );
      this.resolver.invalidate(version.project, version.model);
      if (result.ok) {
        const errorMessage = outcome.state === 'FAILED' ? outcome.error.message : undefined;
        logger?.info(
          { version: version.name, state: outcome.state, errorMessage },
          'version loaded',
        );
      }
      return result.ok || result.state === 'READY';
    } catch (error) {
      logger?.warn({ err: coerceError(error), version: version.name }, 'could not report version');
      return true;
    }
  }

  private onEvent(event: DeployEvent): void {
    const { project, model, version } = event;
    this.resolver.invalidate(project, model);
    if (version === undefined) return;
    const target = { project, model, version };
    if (event.type === 'create' || event.type === 'set-default') this.inBackground(target);
    if (event.type === 'delete') {
      const key = `${project}/${model}/${version}`;
      void this.scheduler
        .drained(key)
        .then(() => this.registry.unload(key))
        .catch((error: unknown) =>
          this.options.logger?.warn({ err: coerceError(error), version: key }, 'unload failed'),
        );
    }
  }

  /** Load a version that was deployed or made default, so the first request finds it warm. */
  private inBackground(target: PredictTarget): void {
    const load = async (): Promise<void> => {
      try {
        const version = await this.resolver.lookup(target);
        if (version.state === 'CREATING' || version.state === 'READY') await this.load(version);
      } catch (error) {
        this.options.logger?.debug({ err: coerceError(error), target }, 'background load failed');
      }
    };
    this.background = Promise.all([this.background, load()]).then(() => undefined);
  }

  private async loadPending(): Promise<void> {
    try {
      for (const pending of await this.options.store.versions.listPending()) {
        if (this.closed) return;
        this.inBackground(pending);
      }
    } catch (error) {
      this.options.logger?.error({ err: coerceError(error) }, 'could not list pending versions');
    }
  }

  private touch(version: ResolvedVersion): void {
    const now = Date.now();
    const last = this.touched.get(version.key) ?? 0;
    if (now - last < (this.options.touchIntervalMs ?? DEFAULT_PREDICTOR_OPTIONS.touchIntervalMs))
      return;
    this.touched.set(version.key, now);
    this.options.store.versions
      .touch(version.project, version.model, version.version, new Date(now))
      .catch((error: unknown) =>
        this.options.logger?.debug({ err: coerceError(error) }, 'lastUseTime not stamped'),
      );
  }

  private unavailable(name: string, detail: string): StratusError {
    return new StratusError('PREDICTOR_UNAVAILABLE', { name, detail });
  }
}
