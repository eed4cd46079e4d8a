import { StratusError } from '@stratus/spec';
import {
  TopologyProblem,
  UncountableLayer,
  isRecord,
  parseShape,
  type LayerConfig,
  type MaybeShape,
} from './layer-config.js';
import type { LayerResult } from './layer-rule.js';
import { createLayerApplier, layerSpecOf, type LayerSpec } from './layer-rules.js';

/**
 * Parameter counts of a tfjs `model.json`, found by reading it as JSON —
 * shape inference over the layer configs and a sum of the weight manifest —
 * so an oversized model is refused before tfjs allocates a single tensor.
 */
export interface ModelParamCount {
  /** What the layers topology allocates (tfjs's `countParams()`); undefined for graph models. */
  readonly topology: number | undefined;
  /** What the weight manifest lists. */
  readonly manifest: number;
}

const apply = createLayerApplier((config, inputs) => countModel(config, inputs));

/** Name a problem after the layer it is in (once: wrappers and nested models keep the innermost). */
const inLayer = <T>(name: string, className: string, run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof TopologyProblem || error instanceof UncountableLayer)) throw error;
    if (error.message.startsWith('layer "')) throw error;
    const message = `layer "${name}" (${className}): ${error.message}`;
    throw error instanceof UncountableLayer
      ? new UncountableLayer(message)
      : new TopologyProblem(message);
  }
};

/** The input shape a layer config declares (InputLayer, or the first layer of a Sequential). */
const declaredInput = (config: LayerConfig): MaybeShape => {
  if (config.batch_input_shape != null)
    return parseShape(config.batch_input_shape, 'batch_input_shape');
  if (config.batch_shape != null) return parseShape(config.batch_shape, 'batch_shape');
  if (config.input_shape != null) return [null, ...parseShape(config.input_shape, 'input_shape')];
  return undefined;
};

const layerName = (spec: LayerSpec, fallback: string): string =>
  typeof spec.config.name === 'string' ? spec.config.name : fallback;

function countSequential(config: unknown, inputs: readonly MaybeShape[]): LayerResult {
  const layers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) throw new TopologyProblem('a Sequential model must list its layers');
  const built = isRecord(config) && config.build_input_shape != null;
  let shape: MaybeShape =
    inputs[0] ??
    (built
      ? parseShape((config as LayerConfig).build_input_shape, 'build_input_shape')
      : undefined);
  let params = 0;
  layers.forEach((raw, i) => {
    const spec = layerSpecOf(raw, `layers[${i}]`);
    const name = layerName(spec, `layers[${i}]`);
    inLayer(name, spec.className, () => {
      if (i === 0 || spec.className === 'InputLayer') shape = declaredInput(spec.config) ?? shape;
      if (spec.className === 'InputLayer') return;
      const result = apply(spec, [shape]);
      params += result.params;
      shape = result.outputs[0];
    });
  });
  return { params, outputs: [shape] };
}

type TensorRef = readonly [layer: string, node: number, tensor: number];

const tensorRefs = (value: unknown, where: string): TensorRef[] => {
  if (!Array.isArray(value)) throw new TopologyProblem(`${where} must be a list`);
  return value.map((entry) => {
    const [layer, node, tensor] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (typeof layer !== 'string' || typeof node !== 'number' || typeof tensor !== 'number') {
      throw new TopologyProblem(`${where} entries must be [layer, node, tensor]`);
    }
    return [layer, node, tensor] as const;
  });
};

interface FunctionalLayer {
  readonly name: string;
  readonly spec: LayerSpec;
  readonly nodes: TensorRef[][];
}

/** A functional model: its layers' nodes in dependency order, each layer's weights counted once. */
function countFunctional(config: LayerConfig): LayerResult {
  if (!Array.isArray(config.layers)) throw new TopologyProblem('a Model must list its layers');
  const layers: FunctionalLayer[] = config.layers.map((raw: unknown, i) => {
    const spec = layerSpecOf(raw, `layers[${i}]`);
    const name =
      isRecord(raw) && typeof raw.name === 'string' ? raw.name : layerName(spec, `layers[${i}]`);
    const inbound = isRecord(raw) ? (raw.inbound_nodes ?? []) : [];
    if (!Array.isArray(inbound))
      throw new TopologyProblem(`layer "${name}": inbound_nodes must be a list`);
    return {
      name,
      spec,
      nodes: inbound.map((node, n) => tensorRefs(node, `layer "${name}" node ${n}`)),
    };
  });
  const outputs = new Map<string, MaybeShape[][]>();
  for (const layer of layers) {
    if (layer.spec.className === 'InputLayer') {
      outputs.set(layer.name, [
        [inLayer(layer.name, 'InputLayer', () => declaredInput(layer.spec.config))],
      ]);
    }
  }
  // Nodes run as their inputs become known (a worklist: linear in the nodes, whatever their order).
  const waiting = new Map<string, number>();
  const waiters = new Map<string, { layer: FunctionalLayer; node: number }[]>();
  const ready: { layer: FunctionalLayer; node: number }[] = [];
  for (const layer of layers) {
    layer.nodes.forEach((refs, node) => {
      const deps = new Map(refs.map(([name, n]) => [`${name}#${n}`, [name, n] as const]));
      const unresolved = [...deps]
        .filter(([, [name, n]]) => outputs.get(name)?.[n] === undefined)
        .map(([dep]) => dep);
      waiting.set(`${layer.name}#${node}`, unresolved.length);
      for (const dep of unresolved)
        waiters.set(dep, [...(waiters.get(dep) ?? []), { layer, node }]);
      if (unresolved.length === 0) ready.push({ layer, node });
    });
  }
  const counted = new Set<string>();
  let params = 0;
  for (let i = 0; i < ready.length; i += 1) {
    const { layer, node } = ready[i] as { layer: FunctionalLayer; node: number };
    const inputs = layer.nodes[node]?.map(([name, n, tensor]) => outputs.get(name)?.[n]?.[tensor]);
    const result = inLayer(layer.name, layer.spec.className, () => apply(layer.spec, inputs ?? []));
    if (!counted.has(layer.name)) params += result.params;
    counted.add(layer.name);
    const produced = outputs.get(layer.name) ?? [];
    produced[node] = [...result.outputs];
    outputs.set(layer.name, produced);
    const key = `${layer.name}#${node}`;
    waiting.delete(key);
    for (const waiter of waiters.get(key) ?? []) {
      const waiterKey = `${waiter.layer.name}#${waiter.node}`;
      const left = (waiting.get(waiterKey) ?? 1) - 1;
      waiting.set(waiterKey, left);
      if (left === 0) ready.push(waiter);
    }
  }
  const [stuck] = waiting.keys();
  if (stuck !== undefined) {
    throw new TopologyProblem(
      `layer "${stuck.split('#')[0] ?? ''}" takes inputs no layer produces`,
    );
  }
  const outputRefs = tensorRefs(config.output_layers ?? [], 'output_layers');
  return {
    params,
    outputs: outputRefs.map(([name, node, tensor]) => outputs.get(name)?.[node]?.[tensor]),
  };
}

/** A (possibly nested) model config: functional when it lists input_layers, else Sequential. */
function countModel(config: unknown, inputs: readonly MaybeShape[]): LayerResult {
  return isRecord(config) && config.input_layers !== undefined
    ? countFunctional(config)
    : countSequential(config, inputs);
}

const manifestParams = (manifest: unknown): number => {
  if (manifest === undefined || manifest === null) return 0;
  if (!Array.isArray(manifest)) throw new TopologyProblem('weightsManifest must be a list');
  let total = 0;
  for (const group of manifest) {
    const weights = isRecord(group) ? group.weights : undefined;
    if (!Array.isArray(weights))
      throw new TopologyProblem('each weightsManifest group must list weights');
    for (const weight of weights) {
      const name = isRecord(weight) && typeof weight.name === 'string' ? weight.name : '?';
      const shape = parseShape(
        isRecord(weight) ? weight.shape : undefined,
        `weight "${name}" shape`,
      );
      total += shape.reduce<number>((size, dim) => size * (dim ?? 0), 1);
    }
  }
  return total;
};

/** Whether a model.json holds a graph model (weights only in its manifest). */
export const isGraphModelJson = (modelJson: Readonly<Record<string, unknown>>): boolean =>
  modelJson.format === 'graph-model' ||
  (isRecord(modelJson.modelTopology) && 'node' in modelJson.modelTopology);

/**
 * Count the parameters a `model.json` (parsed JSON) declares. Throws
 * TopologyProblem for a malformed topology and UncountableLayer for a layer
 * whose declared size cannot be inferred.
 */
export function countModelParams(modelJson: unknown): ModelParamCount {
  if (!isRecord(modelJson)) throw new TopologyProblem('model.json must be an object');
  const manifest = manifestParams(modelJson.weightsManifest);
  if (isGraphModelJson(modelJson)) return { topology: undefined, manifest };
  let topology = modelJson.modelTopology;
  if (isRecord(topology) && isRecord(topology.model_config)) topology = topology.model_config;
  if (!isRecord(topology)) throw new TopologyProblem('modelTopology must be an object');
  const model = countModel(topology.config, []);
  return { topology: model.params, manifest };
}

const formatCount = (value: number): string => value.toLocaleString('en-US');

/** MODEL_TOO_LARGE: `what` (a model.json, a built-in model) declares `count` parameters, over `limit`. */
export const modelTooLarge = (what: string, count: number, limit: number): StratusError =>
  new StratusError('MODEL_TOO_LARGE', {
    file: what,
    count: formatCount(count),
    limit: formatCount(limit),
  });

/**
 * Refuse a `model.json` whose topology or manifest declares more than `limit`
 * parameters (MODEL_TOO_LARGE naming both numbers), or whose size cannot be
 * told (BUNDLE_INVALID), before anything is loaded. `uri` is the bundle directory.
 */
export function assertModelParamsWithinLimit(
  modelJson: unknown,
  options: { readonly limit: number; readonly uri: string },
): ModelParamCount {
  let counts: ModelParamCount;
  try {
    counts = countModelParams(modelJson);
  } catch (error) {
    if (!(error instanceof TopologyProblem || error instanceof UncountableLayer)) throw error;
    const detail = `model.json cannot be checked against STRATUS_MAX_MODEL_PARAMS: ${error.message}`;
    throw new StratusError('BUNDLE_INVALID', { uri: options.uri, detail }, { cause: error });
  }
  const declared = Math.max(counts.topology ?? 0, counts.manifest);
  if (declared > options.limit) {
    throw modelTooLarge(`${options.uri.replace(/\/+$/, '')}/model.json`, declared, options.limit);
  }
  return counts;
}
