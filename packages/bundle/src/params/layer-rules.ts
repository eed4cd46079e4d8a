import { CONV_RULES } from './conv-layers.js';
import { CORE_RULES } from './core-layers.js';
import {
  TopologyProblem,
  UncountableLayer,
  isRecord,
  text,
  type LayerConfig,
  type MaybeShape,
  type Shape,
} from './layer-config.js';
import type { LayerResult, LayerRule } from './layer-rule.js';
import { RECURRENT_RULES } from './recurrent-layers.js';

/**
 * Config fields through which a layer declares how big it is. A class this
 * counter does not know is refused when it has one (tfjs would allocate what
 * it says, and nothing here can bound it); without one it has no weights of
 * its own size and only the weight manifest counts it.
 */
const SIZE_FIELDS = [
  'units',
  'filters',
  'output_dim',
  'input_dim',
  'depth_multiplier',
  'layer',
  'cell',
];

/** A nested `{class_name, config}` layer (Bidirectional's and TimeDistributed's `layer`). */
export interface LayerSpec {
  readonly className: string;
  readonly config: LayerConfig;
}

export const layerSpecOf = (raw: unknown, where: string): LayerSpec => {
  if (!isRecord(raw) || typeof raw.class_name !== 'string' || !isRecord(raw.config)) {
    throw new TopologyProblem(`${where} must be a {class_name, config} object`);
  }
  return { className: raw.class_name, config: raw.config };
};

/** Applies a layer spec to input shapes (what wrappers call on the layer they wrap). */
export type LayerApplier = (spec: LayerSpec, inputs: readonly MaybeShape[]) => LayerResult;

const bidirectional =
  (apply: LayerApplier): LayerRule =>
  (config, inputs) => {
    const inner = apply(layerSpecOf(config.layer, 'layer'), inputs);
    const [sequence, ...states] = inner.outputs;
    const mode = config.merge_mode === null ? null : text(config, 'merge_mode', 'concat');
    const doubled = (shape: Shape): Shape =>
      shape.map((dim, i) => (i === shape.length - 1 && dim !== null ? dim * 2 : dim));
    const merged: MaybeShape[] =
      mode === null
        ? [sequence, sequence]
        : [mode === 'concat' && sequence !== undefined ? doubled(sequence) : sequence];
    return { params: inner.params * 2, outputs: [...merged, ...states, ...states] };
  };

const timeDistributed =
  (apply: LayerApplier): LayerRule =>
  (config, [input]) => {
    const step: MaybeShape =
      input === undefined ? undefined : [input[0] ?? null, ...input.slice(2)];
    const inner = apply(layerSpecOf(config.layer, 'layer'), [step]);
    const outputs = inner.outputs.map((shape): MaybeShape =>
      shape === undefined || input === undefined
        ? undefined
        : [input[0] ?? null, input[1] ?? null, ...shape.slice(1)],
    );
    return { params: inner.params, outputs };
  };

const BASE_RULES: Readonly<Record<string, LayerRule>> = {
  ...CORE_RULES,
  ...CONV_RULES,
  ...RECURRENT_RULES,
};

const MODEL_CLASSES = ['Sequential', 'Model', 'Functional'];

/**
 * The applier of every known layer class; `model` counts a nested model (a
 * Sequential or functional model used as a layer). A class it does not know
 * is UncountableLayer when it declares a size, else weightless with an unknown output.
 */
export const createLayerApplier = (model: LayerRule): LayerApplier => {
  const rules: Record<string, LayerRule> = { ...BASE_RULES };
  const apply: LayerApplier = (spec, inputs) => {
    const rule = rules[spec.className];
    if (rule !== undefined) return rule(spec.config, inputs);
    const declared = SIZE_FIELDS.find((field) => spec.config[field] !== undefined);
    if (declared !== undefined) {
      throw new UncountableLayer(`class ${spec.className} is unknown and declares ${declared}`);
    }
    return { params: 0, outputs: [undefined] };
  };
  rules.Bidirectional = bidirectional(apply);
  rules.TimeDistributed = timeDistributed(apply);
  for (const name of MODEL_CLASSES) rules[name] = model;
  return apply;
};
