/**
 * A trained built-in tfjs model (tf.sequential of Conv2D, MaxPooling2D,
 * Flatten, Dense and Dropout layers; relu, softmax or linear activations) as
 * an ONNX graph, encoded with the ONNX protobuf schema of `onnx-proto`. The
 * graph takes what the tfjs model takes (`[batch, features]` or channels-last
 * `[batch, h, w, c]`) and answers what it answers; convolutions run
 * channels-first in between, as ONNX defines them.
 */
import onnxProto from 'onnx-proto';
import { tf } from '@stratus/bundle';

const { onnx } = onnxProto;

/** The ONNX opset the graph is written for. */
export const ONNX_OPSET = 13;
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';

/** A layer or setting the exporter does not translate; the trainer keeps the bundle tfjs-only. */
export class OnnxExportError extends Error {}

interface LayerConfig {
  readonly activation?: string;
  readonly useBias?: boolean;
  readonly padding?: string;
  readonly strides?: number | readonly number[];
  readonly poolSize?: number | readonly number[];
  readonly dilationRate?: number | readonly number[];
  readonly dataFormat?: string;
}

const pair = (value: number | readonly number[] | undefined, fallback: number): number[] => {
  if (value === undefined) return [fallback, fallback];
  return typeof value === 'number' ? [value, value] : [...value];
};

/** Builds the graph node by node; each tensor gets a fresh name. */
class GraphBuilder {
  readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private count = 0;

  fresh(stem: string): string {
    this.count += 1;
    return `${stem}_${this.count}`;
  }

  weight(stem: string, dims: readonly number[], values: Float32Array): string {
    const name = this.fresh(stem);
    const raw = new Uint8Array(
      values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength),
    );
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims: [...dims],
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: raw,
      }),
    );
    return name;
  }

  /** Append a node; returns its (single) output's name. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: InstanceType<typeof onnx.AttributeProto>[] = [],
  ): string {
    const output = this.fresh(opType.toLowerCase());
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name: output,
        input: [...inputs],
        output: [output],
        attribute: attributes,
      }),
    );
    return output;
  }
}

const ints = (name: string, values: readonly number[]) =>
  onnx.AttributeProto.create({
    name,
    ints: [...values],
    type: onnx.AttributeProto.AttributeType.INTS,
  });
const int = (name: string, value: number) =>
  onnx.AttributeProto.create({ name, i: value, type: onnx.AttributeProto.AttributeType.INT });
const text = (name: string, value: string) =>
  onnx.AttributeProto.create({
    name,
    s: new TextEncoder().encode(value),
    type: onnx.AttributeProto.AttributeType.STRING,
  });

/** A weight's values, read synchronously (the trainer's backend holds them). */
const valuesOf = (tensor: tf.Tensor): Float32Array => Float32Array.from(tensor.dataSync());

const activate = (graph: GraphBuilder, input: string, activation: string | undefined): string => {
  switch (activation ?? 'linear') {
    case 'linear':
      return input;
    case 'relu':
      return graph.node('Relu', [input]);
    case 'softmax':
      return graph.node('Softmax', [input], [int('axis', -1)]);
    default:
      throw new OnnxExportError(`activation "${String(activation)}" has no ONNX translation here`);
  }
};

const shapeValue = (dims: readonly (number | null)[]) =>
  onnx.TypeProto.create({
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: {
        dim: dims.map((dim) => (dim === null ? { dimParam: 'batch' } : { dimValue: dim })),
      },
    },
  });

/** Encode `model` as an ONNX ModelProto; OnnxExportError names the first layer it cannot translate. */
export function onnxModelBytes(model: tf.LayersModel): Uint8Array {
  const graph = new GraphBuilder();
  const inputShape = model.inputs[0]?.shape ?? [];
  const outputShape = model.outputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new OnnxExportError('only models with one input and one output are exported');
  }
  let current = ONNX_INPUT;
  // Whether `current` is channels-first (after a Conv2D or MaxPooling2D).
  let channelsFirst = false;
  const toChannelsFirst = () => {
    if (!channelsFirst) current = graph.node('Transpose', [current], [ints('perm', [0, 3, 1, 2])]);
    channelsFirst = true;
  };
  const toChannelsLast = () => {
    if (channelsFirst) current = graph.node('Transpose', [current], [ints('perm', [0, 2, 3, 1])]);
    channelsFirst = false;
  };
  for (const layer of model.layers) {
    const className = layer.getClassName();
    const config = layer.getConfig() as LayerConfig;
    if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') {
      throw new OnnxExportError(`${className} layer "${layer.name}" is not channels-last`);
    }
    const weights = layer.getWeights();
    switch (className) {
      case 'InputLayer':
      case 'Dropout':
        // Dropout is the identity at inference.
        break;
      case 'Flatten':
        toChannelsLast();
        current = graph.node('Flatten', [current], [int('axis', 1)]);
        break;
      case 'Dense': {
        toChannelsLast();
        const [kernel, bias] = weights;
        if (kernel === undefined)
          throw new OnnxExportError(`Dense layer "${layer.name}" has no kernel`);
        const w = graph.weight('kernel', kernel.shape, valuesOf(kernel));
        current = graph.node('MatMul', [current, w]);
        if (bias !== undefined && config.useBias !== false) {
          current = graph.node('Add', [current, graph.weight('bias', bias.shape, valuesOf(bias))]);
        }
        current = activate(graph, current, config.activation);
        break;
      }
      case 'Conv2D': {
        const [kernel, bias] = weights;
        if (kernel === undefined)
          throw new OnnxExportError(`Conv2D layer "${layer.name}" has no kernel`);
        if (pair(config.dilationRate, 1).some((d) => d !== 1)) {
          throw new OnnxExportError(`Conv2D layer "${layer.name}" is dilated`);
        }
        toChannelsFirst();
        // tfjs kernels are [kh, kw, in, out]; ONNX's are [out, in, kh, kw].
        const [kh = 0, kw = 0, cin = 0, cout = 0] = kernel.shape;
        const oihw = tf.tidy(() => tf.transpose(kernel, [3, 2, 0, 1]));
        const w = graph.weight('kernel', [cout, cin, kh, kw], valuesOf(oihw));
        oihw.dispose();
        const inputs = [current, w];
        if (bias !== undefined && config.useBias !== false) {
          inputs.push(graph.weight('bias', bias.shape, valuesOf(bias)));
        }
        current = graph.node('Conv', inputs, [
          ints('kernel_shape', [kh, kw]),
          ints('strides', pair(config.strides, 1)),
          text('auto_pad', config.padding === 'same' ? 'SAME_UPPER' : 'VALID'),
        ]);
        current = activate(graph, current, config.activation);
        break;
      }
      case 'MaxPooling2D': {
        toChannelsFirst();
        const pool = pair(config.poolSize, 2);
        current = graph.node(
          'MaxPool',
          [current],
          [
            ints('kernel_shape', pool),
            ints('strides', config.strides === undefined ? pool : pair(config.strides, 1)),
            text('auto_pad', config.padding === 'same' ? 'SAME_UPPER' : 'VALID'),
          ],
        );
        break;
      }
      default:
        throw new OnnxExportError(
          `layer ${className} ("${layer.name}") has no ONNX translation here`,
        );
    }
  }
  toChannelsLast();
  graph.nodes.push(
    onnx.NodeProto.create({
      opType: 'Identity',
      name: 'output',
      input: [current],
      output: [ONNX_OUTPUT],
    }),
  );
  const modelProto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'stratus-trainer',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: model.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [{ name: ONNX_INPUT, type: shapeValue(inputShape) }],
      output: [{ name: ONNX_OUTPUT, type: shapeValue(outputShape) }],
    },
  });
  return onnx.ModelProto.encode(modelProto).finish();
}
