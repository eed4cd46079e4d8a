import type { ResolvedHyperparameterSpec } from '@stratus/spec';
import type { StoreContext } from './context.js';

/**
 * The resolved tuning spec stored with a job at submission (`CreateJobOptions.tuning`);
 * undefined for a job without tuning, or one stored without it.
 */
export const readTuningSpec = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
): Promise<ResolvedHyperparameterSpec | undefined> => {
  const raw = await ctx.redis.hget(ctx.keys.job(project, jobId).meta, 'tuningSpec');
  return raw === null ? undefined : (JSON.parse(raw) as ResolvedHyperparameterSpec);
};
