import type { PredictRuntime } from '@stratus/config';
import type { Executor } from './executor/executor.js';
import type { Logger } from '@stratus/spec';
import type { ModelSignature } from '@stratus/serving';

/** A version loaded (and warmed) in every executor runner. */
export interface LoadedVersion {
  readonly key: string;
  readonly uri: string;
  readonly signature: ModelSignature;
  /** Weight bytes of all its copies (what the memory budget counts). */
  readonly bytes: number;
  lastUsed: number;
}

export interface ModelRegistryOptions {
  /** Budget for all loaded weights, every copy counted. */
  readonly memoryBytes: number;
  /** Whether a version has requests queued or running (it is not evicted then). */
  readonly busy: (key: string) => boolean;
  readonly logger?: Logger;
}

/**
 * The loaded versions, least recently used first out when the weights of all
 * of them pass the memory budget. Concurrent loads of one version share one
 * load; a version whose deploymentUri changed is loaded again.
 */
export class ModelRegistry {
  private readonly loaded = new Map<string, LoadedVersion>();
  private readonly loading = new Map<string, { uri: string; promise: Promise<LoadedVersion> }>();

  constructor(
    private readonly executor: Executor,
    private readonly options: ModelRegistryOptions,
  ) {}

  /** The version `key` loaded from `uri` on `runtime`, loading (and evicting others) if needed. */
  ensure(key: string, uri: string, runtime: PredictRuntime): Promise<LoadedVersion> {
    const loaded = this.loaded.get(key);
    if (loaded?.uri === uri) {
      loaded.lastUsed = performance.now();
      return Promise.resolve(loaded);
    }
    const loading = this.loading.get(key);
    if (loading?.uri === uri) return loading.promise;
    const promise = this.load(key, uri, runtime, loaded !== undefined);
    this.loading.set(key, { uri, promise });
    const forget = (): void => {
      if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  }

  get(key: string): LoadedVersion | undefined {
    return this.loaded.get(key);
  }

  /** Unload a version everywhere (no-op when it is not loaded). */
  async unload(key: string): Promise<void> {
    if (!this.loaded.delete(key)) return;
    await this.executor.unload(key);
  }

  /** Weight bytes of every loaded version, all copies. */
  usedBytes(): number {
    let total = 0;
    for (const entry of this.loaded.values()) total += entry.bytes;
    return total;
  }

  keys(): string[] {
    return [...this.loaded.keys()];
  }

  private async load(
    key: string,
    uri: string,
    runtime: PredictRuntime,
    replacing: boolean,
  ): Promise<LoadedVersion> {
    if (replacing) await this.unload(key);
    const model = await this.executor.load(key, uri, runtime);
    const entry: LoadedVersion = {
      key,
      uri,
      signature: model.signature,
      bytes: model.bytes * this.executor.copies,
      lastUsed: performance.now(),
    };
    this.loaded.set(key, entry);
    await this.evict(key);
    return entry;
  }

  /** Unload idle versions, least recently used first, until the budget holds (never `keep`). */
  private async evict(keep: string): Promise<void> {
    while (this.usedBytes() > this.options.memoryBytes) {
      let victim: LoadedVersion | undefined;
      for (const entry of this.loaded.values()) {
        if (entry.key === keep || this.options.busy(entry.key)) continue;
        if (victim === undefined || entry.lastUsed < victim.lastUsed) victim = entry;
      }
      if (victim === undefined) {
        this.options.logger?.warn(
          { usedBytes: this.usedBytes(), budget: this.options.memoryBytes },
          'loaded models exceed the memory budget and none can be unloaded now',
        );
        return;
      }
      this.options.logger?.info({ version: victim.key, bytes: victim.bytes }, 'unloading (LRU)');
      await this.unload(victim.key);
    }
  }
}
