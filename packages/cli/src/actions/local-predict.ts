import type { ActionHandler } from '../context.js';
import { openLocalWorkspace } from '../local/local-workspace.js';
import { readInstances, type InstanceFlags } from './instances.js';
import { printPredictions } from './predictions-view.js';

interface LocalPredictOptions extends InstanceFlags {
  readonly modelDir: string;
}

/**
 * `stratus local predict --model-dir DIR --json-instances FILE`: load a model
 * bundle (local directory or `gs://`) in this process and predict, with no
 * server.
 */
export const localPredict: ActionHandler<LocalPredictOptions> = async (ctx, _args, options) => {
  const instances = await readInstances(ctx, options);
  const config = await ctx.session.serverConfig();
  const workspace = await openLocalWorkspace(ctx.session);
  try {
    const uri = await workspace.stage(options.modelDir, '--model-dir');
    const { loadBundle, predictInstances, selectBackend } = await import('@stratus/bundle');
    await selectBackend(config.tfjsBackend);
    const bundle = await workspace.translateErrors(() =>
      loadBundle(workspace.storage, uri, { maxParams: config.limits.maxModelParams }),
    );
    try {
      await printPredictions(ctx, await predictInstances(bundle, instances));
    } finally {
      bundle.model.dispose();
    }
  } finally {
    await workspace.close();
  }
};
