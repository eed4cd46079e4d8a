import type { LayerConfig, MaybeShape } from './layer-config.js';

/** What one call of a layer allocates and produces. */
export interface LayerResult {
  /** Parameters the layer's weights hold (0 for a layer without weights). */
  readonly params: number;
  /** Shapes of its output tensors (one for most layers). */
  readonly outputs: readonly MaybeShape[];
}

/** How a layer class counts its weights and infers its output shapes from its input shapes. */
export type LayerRule = (config: LayerConfig, inputs: readonly MaybeShape[]) => LayerResult;

/** A layer without weights whose output shape is `shape(first input)`. */
export const shaped =
  (shape: (input: MaybeShape, config: LayerConfig) => MaybeShape): LayerRule =>
  (config, [input]) => ({ params: 0, outputs: [shape(input, config)] });

/** A layer without weights that keeps its input's shape (Dropout, Activation, …). */
export const identity: LayerRule = shaped((input) => input);
