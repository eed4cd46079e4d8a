import type { ModelOptions } from './build-model.js';

type TopologyOptions = Pick<
  ModelOptions,
  'kind' | 'task' | 'inputShape' | 'classes' | 'hiddenUnits' | 'dropout'
>;

const layer = (className: string, config: Record<string, unknown>) => ({
  class_name: className,
  config,
});

/**
 * The tfjs `model.json` topology `buildModel` would build for these options,
 * written without building it, so its parameter count can be checked against
 * STRATUS_MAX_MODEL_PARAMS before tfjs allocates the weights. Kept in step
 * with buildModel by `model-topology.test.ts`.
 */
export function builtinTopology(options: TopologyOptions): Record<string, unknown> {
  const layers: ReturnType<typeof layer>[] = [];
  if (options.kind === 'cnn') {
    for (const filters of [16, 32]) {
      layers.push(layer('Conv2D', { filters, kernel_size: [3, 3], padding: 'same' }));
      layers.push(layer('MaxPooling2D', { pool_size: [2, 2], strides: [2, 2] }));
    }
    layers.push(layer('Flatten', {}));
  }
  if (options.kind !== 'linear') {
    for (const units of options.hiddenUnits) {
      layers.push(layer('Dense', { units }));
      if (options.dropout > 0) layers.push(layer('Dropout', { rate: options.dropout }));
    }
  }
  const units = options.task === 'classification' ? options.classes : 1;
  layers.push(layer('Dense', { units }));
  const [first] = layers;
  if (first !== undefined) {
    Object.assign(first.config, { batch_input_shape: [null, ...options.inputShape] });
  }
  return { modelTopology: { class_name: 'Sequential', config: { layers } } };
}
