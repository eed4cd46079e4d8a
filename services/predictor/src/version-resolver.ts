import {
  StratusError,
  formatModelName,
  parseVersionName,
  type Batching,
  type Framework,
  type Version,
  type VersionState,
} from '@stratus/spec';
import type { StoreAreas } from '@stratus/store';
import { LRUCache } from 'lru-cache';

/** What a predict request names: a model (its default version) or one version. */
export interface PredictTarget {
  readonly project: string;
  readonly model: string;
  readonly version?: string;
}

/** A version as the predictor needs it. */
export interface ResolvedVersion {
  readonly project: string;
  readonly model: string;
  readonly version: string;
  /** `project/model/version`: the key of its queue and its loaded copies. */
  readonly key: string;
  /** Full resource name (`projects/p/models/m/versions/v`). */
  readonly name: string;
  readonly state: VersionState;
  readonly errorMessage?: string;
  readonly deploymentUri: string;
  readonly framework: Framework;
  readonly batching?: Batching;
  readonly isDefault: boolean;
}

/** The ResolvedVersion of a Version from the store. */
export const resolvedFrom = (version: Version): ResolvedVersion => {
  const { project, model, version: id } = parseVersionName(version.name);
  return {
    project,
    model,
    version: id,
    key: `${project}/${model}/${id}`,
    name: version.name,
    state: version.state,
    ...(version.errorMessage === undefined ? {} : { errorMessage: version.errorMessage }),
    deploymentUri: version.deploymentUri ?? '',
    framework: version.framework,
    ...(version.batching === undefined ? {} : { batching: version.batching }),
    isDefault: version.isDefault === true,
  };
};

/** Predict targets whose answers are kept at most; past it the least recently used goes. */
const MAX_CACHED_TARGETS = 10_000;

/**
 * Resolves predict targets to versions, caching answers so a predict
 * request does not go to Redis. Deploy events invalidate a model's answers
 * at once (`invalidate`); the TTL bounds staleness should an event be missed.
 */
export class VersionResolver {
  /** Answers by `project/model/version` (version empty for a model's default), for ttlMs. */
  private readonly cache: LRUCache<string, ResolvedVersion> | undefined;
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly store: StoreAreas<'models' | 'versions'>,
    ttlMs: number,
  ) {
    // A TTL of 0 caches nothing (lru-cache would read it as "never expires").
    this.cache =
      ttlMs > 0 ? new LRUCache({ max: MAX_CACHED_TARGETS, ttl: Math.ceil(ttlMs) }) : undefined;
  }

  async resolve(target: PredictTarget): Promise<ResolvedVersion> {
    const cacheKey = `${target.project}/${target.model}/${target.version ?? ''}`;
    const hit = this.cache?.get(cacheKey);
    if (hit !== undefined) return hit;
    const modelKey = `${target.project}/${target.model}`;
    const generation = this.generations.get(modelKey) ?? 0;
    const value = await this.lookup(target);
    if ((this.generations.get(modelKey) ?? 0) === generation) this.cache?.set(cacheKey, value);
    return value;
  }

  /** The version as the store has it now, bypassing the cache. */
  lookup = async (target: PredictTarget): Promise<ResolvedVersion> => {
    if (target.version !== undefined) {
      return resolvedFrom(
        await this.store.versions.get(target.project, target.model, target.version),
      );
    }
    const model = await this.store.models.get(target.project, target.model);
    if (model.defaultVersion === undefined) {
      throw new StratusError('NO_DEFAULT_VERSION', {
        name: formatModelName(target.project, target.model),
      });
    }
    return resolvedFrom(model.defaultVersion);
  };

  /** Forget every cached answer about a model (after a deploy event). */
  invalidate(project: string, model: string): void {
    const modelKey = `${project}/${model}`;
    this.generations.set(modelKey, (this.generations.get(modelKey) ?? 0) + 1);
    if (this.cache === undefined) return;
    const stale = [...this.cache.keys()].filter((key) => key.startsWith(`${modelKey}/`));
    for (const key of stale) this.cache.delete(key);
  }
}
