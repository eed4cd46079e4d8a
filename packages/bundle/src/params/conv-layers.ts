import {
  TopologyProblem,
  count,
  flag,
  known,
  knownShape,
  text,
  tuple,
  type Dim,
  type LayerConfig,
  type Shape,
} from './layer-config.js';
import { shaped, type LayerRule } from './layer-rule.js';

/** Where the channels and the spatial dims of an input of `rank` spatial dims sit. */
const layout = (
  config: LayerConfig,
  shape: Shape,
  rank: number,
): { channelsFirst: boolean; channels: Dim; spatial: Dim[] } => {
  if (shape.length !== rank + 2) {
    throw new TopologyProblem(`expects an input of rank ${rank + 2}, got [${shape.join(', ')}]`);
  }
  const channelsFirst = text(config, 'data_format', 'channels_last') === 'channels_first';
  return channelsFirst
    ? { channelsFirst, channels: shape[1] ?? null, spatial: shape.slice(2) }
    : { channelsFirst, channels: shape[rank + 1] ?? null, spatial: shape.slice(1, -1) };
};

const assemble = (batch: Dim, channelsFirst: boolean, spatial: Dim[], channels: Dim): Shape =>
  channelsFirst ? [batch, channels, ...spatial] : [batch, ...spatial, channels];

/** tfjs-layers' convOutputLength. */
const convLength = (
  size: Dim,
  kernel: number,
  padding: string,
  stride: number,
  dilation = 1,
): Dim => {
  if (size === null) return null;
  const dilated = kernel + (kernel - 1) * (dilation - 1);
  const length = padding === 'valid' ? size - dilated + 1 : size;
  return Math.max(0, Math.floor((length + stride - 1) / Math.max(1, stride)));
};

/** tfjs-layers' deconvLength. */
const deconvLength = (size: Dim, stride: number, kernel: number, padding: string): Dim => {
  if (size === null) return null;
  return padding === 'valid' ? size * stride + Math.max(kernel - stride, 0) : size * stride;
};

type ConvKind = 'conv' | 'transpose' | 'depthwise' | 'separable';

const conv =
  (rank: number, kind: ConvKind): LayerRule =>
  (config, [input]) => {
    const shape = knownShape(input);
    const { channelsFirst, channels, spatial } = layout(config, shape, rank);
    const inChannels = known(channels, 'channel count');
    const kernel = tuple(config, 'kernel_size', rank);
    const strides = tuple(config, 'strides', rank, 1);
    const dilation = tuple(config, 'dilation_rate', rank, 1);
    const padding = text(config, 'padding', 'valid');
    const window = kernel.reduce((a, b) => a * b, 1);
    const bias = flag(config, 'use_bias', true);
    const multiplier =
      kind === 'depthwise' || kind === 'separable' ? count(config, 'depth_multiplier', 1) : 1;
    const filters = kind === 'depthwise' ? inChannels * multiplier : count(config, 'filters');
    const weights =
      kind === 'depthwise'
        ? window * inChannels * multiplier
        : kind === 'separable'
          ? window * inChannels * multiplier + inChannels * multiplier * filters
          : window * inChannels * filters;
    const outSpatial = spatial.map((size, i) =>
      kind === 'transpose'
        ? deconvLength(size, strides[i] ?? 1, kernel[i] ?? 1, padding)
        : convLength(size, kernel[i] ?? 1, padding, strides[i] ?? 1, dilation[i] ?? 1),
    );
    return {
      params: weights + (bias ? filters : 0),
      outputs: [assemble(shape[0] ?? null, channelsFirst, outSpatial, filters)],
    };
  };

const pooling = (rank: number): LayerRule =>
  shaped((input, config) => {
    if (input === undefined) return undefined;
    const { channelsFirst, channels, spatial } = layout(config, input, rank);
    const pool = tuple(config, 'pool_size', rank, 2);
    const strides = tuple(config, 'strides', rank, pool);
    const padding = text(config, 'padding', 'valid');
    const outSpatial = spatial.map((size, i) =>
      convLength(size, pool[i] ?? 1, padding, strides[i] ?? 1),
    );
    return assemble(input[0] ?? null, channelsFirst, outSpatial, channels);
  });

const globalPooling = (rank: number): LayerRule =>
  shaped((input, config) => {
    if (input === undefined) return undefined;
    return [input[0] ?? null, layout(config, input, rank).channels];
  });

/** A padding/cropping field as one [before, after] pair per spatial dim. */
const pairs = (raw: unknown, rank: number, field: string): (readonly [number, number])[] => {
  const bad = (): TopologyProblem =>
    new TopologyProblem(
      `${field} must be integers or [before, after] pairs (got ${JSON.stringify(raw)})`,
    );
  const pair = (entry: unknown): readonly [number, number] => {
    if (typeof entry === 'number') return [entry, entry];
    if (Array.isArray(entry) && entry.length === 2 && entry.every((n) => typeof n === 'number')) {
      return [entry[0] as number, entry[1] as number];
    }
    throw bad();
  };
  if (typeof raw === 'number') return Array.from({ length: rank }, () => [raw, raw] as const);
  if (rank === 1) return [pair(raw)];
  if (!Array.isArray(raw) || raw.length !== rank) throw bad();
  return raw.map(pair);
};

/** ZeroPadding (sign 1) and Cropping (sign -1) change each spatial dim by its pair. */
const resize = (rank: number, field: 'padding' | 'cropping', sign: 1 | -1): LayerRule =>
  shaped((input, config) => {
    if (input === undefined) return undefined;
    const { channelsFirst, channels, spatial } = layout(config, input, rank);
    const edges = pairs(config[field] ?? (field === 'padding' ? 1 : 0), rank, field);
    const outSpatial = spatial.map((size, i) => {
      const [before, after] = edges[i] ?? [0, 0];
      return size === null ? null : Math.max(0, size + sign * (before + after));
    });
    return assemble(input[0] ?? null, channelsFirst, outSpatial, channels);
  });

const upSampling = (rank: number): LayerRule =>
  shaped((input, config) => {
    if (input === undefined) return undefined;
    const { channelsFirst, channels, spatial } = layout(config, input, rank);
    const size = tuple(config, 'size', rank, 2);
    const outSpatial = spatial.map((dim, i) => (dim === null ? null : dim * (size[i] ?? 1)));
    return assemble(input[0] ?? null, channelsFirst, outSpatial, channels);
  });

const byRank = (
  names: Readonly<Record<string, number>>,
  make: (rank: number) => LayerRule,
): Record<string, LayerRule> =>
  Object.fromEntries(Object.entries(names).map(([name, rank]) => [name, make(rank)]));

/** Convolution, pooling, padding and resampling layers. */
export const CONV_RULES: Readonly<Record<string, LayerRule>> = {
  ...byRank({ Conv1D: 1, Conv2D: 2, Conv3D: 3 }, (rank) => conv(rank, 'conv')),
  ...byRank({ Conv2DTranspose: 2, Conv3DTranspose: 3 }, (rank) => conv(rank, 'transpose')),
  ...byRank({ DepthwiseConv2D: 2 }, (rank) => conv(rank, 'depthwise')),
  ...byRank({ SeparableConv1D: 1, SeparableConv2D: 2 }, (rank) => conv(rank, 'separable')),
  ...byRank(
    {
      MaxPooling1D: 1,
      MaxPooling2D: 2,
      MaxPooling3D: 3,
      AveragePooling1D: 1,
      AveragePooling2D: 2,
      AveragePooling3D: 3,
    },
    pooling,
  ),
  ...byRank(
    {
      GlobalMaxPooling1D: 1,
      GlobalMaxPooling2D: 2,
      GlobalAveragePooling1D: 1,
      GlobalAveragePooling2D: 2,
    },
    globalPooling,
  ),
  ...byRank({ ZeroPadding1D: 1, ZeroPadding2D: 2, ZeroPadding3D: 3 }, (rank) =>
    resize(rank, 'padding', 1),
  ),
  ...byRank({ Cropping1D: 1, Cropping2D: 2, Cropping3D: 3 }, (rank) =>
    resize(rank, 'cropping', -1),
  ),
  ...byRank({ UpSampling1D: 1, UpSampling2D: 2, UpSampling3D: 3 }, upSampling),
};
