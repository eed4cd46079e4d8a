import {
  TopologyProblem,
  axes,
  axisIndex,
  count,
  flag,
  known,
  knownShape,
  parseShape,
  product,
  type Dim,
  type MaybeShape,
  type Shape,
} from './layer-config.js';
import { identity, shaped, type LayerRule } from './layer-rule.js';

const last = (shape: Shape): Dim | undefined => shape[shape.length - 1];

const dense: LayerRule = (config, [input]) => {
  const units = count(config, 'units');
  const shape = knownShape(input);
  const fanIn = known(last(shape), 'input width');
  const bias = flag(config, 'use_bias', true) ? units : 0;
  return { params: fanIn * units + bias, outputs: [[...shape.slice(0, -1), units]] };
};

const embedding: LayerRule = (config, [input]) => {
  const outputDim = count(config, 'output_dim');
  const params = count(config, 'input_dim') * outputDim;
  return { params, outputs: [input === undefined ? undefined : [...input, outputDim]] };
};

/** Sizes of the dims that `axis` names (BatchNormalization, LayerNormalization). */
const axisSizes = (input: MaybeShape, axisList: readonly number[]): number => {
  const shape = knownShape(input);
  return axisList.reduce(
    (total, axis) => total * known(shape[axisIndex(axis, shape.length)], `axis ${axis}`),
    1,
  );
};

const batchNormalization: LayerRule = (config, [input]) => {
  const size = axisSizes(input, axes(config, -1));
  // gamma and beta when enabled, plus the moving mean and variance (countParams counts them too).
  const perUnit =
    2 + (flag(config, 'scale', true) ? 1 : 0) + (flag(config, 'center', true) ? 1 : 0);
  return { params: size * perUnit, outputs: [input] };
};

const layerNormalization: LayerRule = (config, [input]) => {
  const size = axisSizes(input, axes(config, -1));
  const perUnit = (flag(config, 'scale', true) ? 1 : 0) + (flag(config, 'center', true) ? 1 : 0);
  return { params: size * perUnit, outputs: [input] };
};

const prelu: LayerRule = (config, [input]) => {
  const shape = knownShape(input);
  const shared = config.shared_axes ?? [];
  const sharedList = (Array.isArray(shared) ? shared : [shared]) as unknown[];
  const alpha = shape.slice(1).map((dim, i) => (sharedList.includes(i + 1) ? 1 : dim));
  return { params: known(product(alpha), 'input shape'), outputs: [input] };
};

const flatten = shaped((input) =>
  input === undefined ? undefined : [input[0] ?? null, product(input.slice(1))],
);

const reshape = shaped((input, config) => {
  const raw = config.target_shape;
  // One -1 may stand for whatever size is left.
  const free = Array.isArray(raw) ? raw.indexOf(-1) : -1;
  const target = parseShape(
    Array.isArray(raw) ? raw.map((dim: unknown) => (dim === -1 ? null : dim)) : raw,
    'target_shape',
  );
  if (free < 0) return [input?.[0] ?? null, ...target];
  const size = input === undefined ? null : product(input.slice(1));
  const rest = product(target.filter((_, i) => i !== free));
  const fill =
    size === null || rest === null || rest === 0 || size % rest !== 0 ? null : size / rest;
  return [input?.[0] ?? null, ...target.map((dim, i) => (i === free ? fill : dim))];
});

const permute = shaped((input, config) => {
  const dims = parseShape(config.dims, 'dims');
  if (input === undefined) return undefined;
  return [input[0] ?? null, ...dims.map((dim) => (dim === null ? null : (input[dim] ?? null)))];
});

const repeatVector = shaped((input, config) => [
  input?.[0] ?? null,
  count(config, 'n'),
  input?.[1] ?? null,
]);

/** Add, Multiply, …: inputs broadcast to the largest shape. */
const elementwise: LayerRule = (_config, inputs) => {
  const shapes = inputs.filter((shape): shape is Shape => shape !== undefined);
  if (shapes.length < inputs.length) return { params: 0, outputs: [undefined] };
  const rank = Math.max(...shapes.map((shape) => shape.length));
  const output = Array.from({ length: rank }, (_, i) => {
    const dims = shapes
      .map((shape) => shape[shape.length - rank + i])
      .filter((dim) => dim !== undefined);
    return dims.some((dim) => dim === null) ? null : Math.max(...(dims as number[]));
  });
  return { params: 0, outputs: [output] };
};

const concatenate: LayerRule = (config, inputs) => {
  const [axis = -1] = axes(config, -1);
  const shapes = inputs.filter((shape): shape is Shape => shape !== undefined);
  const [first] = shapes;
  if (first === undefined || shapes.length < inputs.length)
    return { params: 0, outputs: [undefined] };
  const index = axisIndex(axis, first.length);
  const joined = shapes.reduce<Dim>(
    (total, shape) => (total === null || shape[index] == null ? null : total + (shape[index] ?? 0)),
    0,
  );
  return { params: 0, outputs: [first.map((dim, i) => (i === index ? joined : dim))] };
};

const dot: LayerRule = (config, [a, b]) => {
  if (a === undefined || b === undefined) return { params: 0, outputs: [undefined] };
  const raw = config.axes;
  const pair = (Array.isArray(raw) ? raw : [raw, raw]) as unknown[];
  if (pair.length !== 2 || !pair.every((axis) => typeof axis === 'number')) {
    throw new TopologyProblem(
      `axes must be an integer or two of them (got ${JSON.stringify(raw)})`,
    );
  }
  const ia = axisIndex(pair[0] as number, a.length);
  const ib = axisIndex(pair[1] as number, b.length);
  const output = [...a.filter((_, i) => i !== ia), ...b.filter((_, i) => i !== 0 && i !== ib)];
  return { params: 0, outputs: [output.length === 1 ? [...output, 1] : output] };
};

const IDENTITY_CLASSES = [
  'Activation',
  'ActivityRegularization',
  'AlphaDropout',
  'Dropout',
  'ELU',
  'GaussianDropout',
  'GaussianNoise',
  'LeakyReLU',
  'Masking',
  'ReLU',
  'Rescaling',
  'Softmax',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'SpatialDropout3D',
  'ThresholdedReLU',
] as const;

const ELEMENTWISE_CLASSES = [
  'Add',
  'Average',
  'Maximum',
  'Minimum',
  'Multiply',
  'Subtract',
] as const;

/** Dense, embedding, normalisation, reshaping and merge layers. */
export const CORE_RULES: Readonly<Record<string, LayerRule>> = {
  Dense: dense,
  Embedding: embedding,
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  PReLU: prelu,
  Flatten: flatten,
  Reshape: reshape,
  Permute: permute,
  RepeatVector: repeatVector,
  Concatenate: concatenate,
  Dot: dot,
  ...Object.fromEntries(IDENTITY_CLASSES.map((name) => [name, identity])),
  ...Object.fromEntries(ELEMENTWISE_CLASSES.map((name) => [name, elementwise])),
};
