import {
  type RequestOutputs,
  rowPredictions,
  prepareInstances,
  prepareTensors,
  type PreparedRequest,
  type ModelSignature,
  invalidRequest,
  isPlainObject,
} from '@stratus/serving';
import type { PublicTensor } from '../public-signature.js';

/** A KServe v2 tensor as JSON: `data` flat in row-major order (nested lists are flattened). */
export interface KServeTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly datatype: string;
  readonly data: readonly unknown[];
}

const NUMERIC = new Set([
  'FP16',
  'FP32',
  'FP64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'BOOL',
]);

/** A request tensor's `shape`, checked: a list of non-negative integers. */
export const tensorShape = (shape: unknown, where: string): number[] => {
  if (
    !Array.isArray(shape) ||
    !shape.every((dim) => Number.isInteger(dim) && (dim as number) >= 0)
  ) {
    throw invalidRequest(`${where}.shape: must be a list of non-negative integers`);
  }
  return shape as number[];
};

/** A request tensor's `datatype`, checked: one of KServe v2's. */
export const tensorDatatype = (datatype: unknown, where: string): string => {
  if (typeof datatype !== 'string' || !(NUMERIC.has(datatype) || datatype === 'BYTES')) {
    throw invalidRequest(`${where}.datatype: "${String(datatype)}" is not a KServe v2 datatype`);
  }
  return datatype;
};

/** Elements in a tensor of `shape`. */
export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Check one request tensor's fields: name, integer shape, datatype, data with product(shape) elements. */
const parseTensor = (value: unknown, index: number): KServeTensor => {
  const where = `inputs[${index}]`;
  if (!isPlainObject(value))
    throw invalidRequest(`${where}: must be an object {name, shape, datatype, data}`);
  const { name, data } = value;
  if (typeof name !== 'string' || name === '')
    throw invalidRequest(`${where}.name: must be a non-empty string`);
  const shape = tensorShape(value.shape, where);
  const datatype = tensorDatatype(value.datatype, where);
  if (!Array.isArray(data)) throw invalidRequest(`${where}.data: must be a list`);
  const flat = data.flat(Infinity) as unknown[];
  const size = elementCount(shape);
  if (flat.length !== size) {
    throw invalidRequest(
      `${where} (${name}): shape [${shape.join(', ')}] needs ${size} elements, data has ${flat.length}`,
    );
  }
  return { name, shape, datatype, data: flat };
};

/** The `inputs` of an infer request, checked; every tensor must have at least one row. */
export const parseInferInputs = (body: Record<string, unknown>): KServeTensor[] => {
  const { inputs } = body;
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw invalidRequest('inputs: must be a non-empty list of tensors');
  const tensors = inputs.map(parseTensor);
  for (const tensor of tensors) {
    if (tensor.shape.length === 0)
      throw invalidRequest(`inputs: "${tensor.name}" needs a batch dimension`);
  }
  return tensors;
};

/**
 * Infer tensors as a prepared request. For a Stratus bundle each tensor is
 * one raw feature (rows = shape[0]); for a raw model each is a model input,
 * converted to its dtype.
 */
export const prepareInfer = (
  signature: ModelSignature,
  tensors: readonly KServeTensor[],
): PreparedRequest => {
  if (signature.kind === 'stratus') {
    const rows = tensors[0]?.shape[0] ?? 0;
    const instances = Array.from({ length: rows }, () => ({}) as Record<string, unknown>);
    for (const tensor of tensors) {
      if (tensor.shape[0] !== rows)
        throw invalidRequest(
          `inputs: "${tensor.name}" has ${tensor.shape[0]} rows but another input has ${rows}`,
        );
      const size = elementCount(tensor.shape.slice(1));
      instances.forEach((instance, row) => {
        instance[tensor.name] =
          size === 1 && tensor.shape.length <= 2
            ? tensor.data[row]
            : tensor.data.slice(row * size, (row + 1) * size);
      });
    }
    return prepareInstances(signature, instances, (row) => `inputs row ${row}`);
  }
  const byName = new Map<string, { data: Float32Array | Int32Array; shape: readonly number[] }>();
  for (const tensor of tensors) {
    const spec = signature.inputs.find((input) => input.name === tensor.name);
    if (tensor.datatype === 'BYTES')
      throw invalidRequest(`inputs: "${tensor.name}" is BYTES; the model takes numbers`);
    const data =
      spec?.dtype === 'int32'
        ? new Int32Array(tensor.data.length)
        : new Float32Array(tensor.data.length);
    tensor.data.forEach((value, i) => {
      const number = typeof value === 'boolean' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) {
        throw invalidRequest(
          `inputs: "${tensor.name}" element ${i} must be a finite number, got ${JSON.stringify(value)}`,
        );
      }
      if (data instanceof Int32Array && !Number.isInteger(number)) {
        throw invalidRequest(
          `inputs: "${tensor.name}" element ${i} must be an integer (INT32 input), got ${number}`,
        );
      }
      data[i] = number;
    });
    byName.set(tensor.name, { data, shape: tensor.shape });
  }
  return prepareTensors(signature, byName);
};

const DATATYPES: Readonly<Record<PublicTensor['dtype'], string>> = {
  float32: 'FP32',
  int32: 'INT32',
  string: 'BYTES',
};

/** KServe datatype of a public tensor. */
export const datatypeOf = (dtype: PublicTensor['dtype']): string => DATATYPES[dtype];

/** Output tensors of an infer response, only those named in `requested` when given. */
export const inferOutputs = (
  signature: ModelSignature,
  result: RequestOutputs,
  requested: readonly RequestedOutput[] | undefined,
): KServeTensor[] => {
  let tensors: KServeTensor[];
  if (signature.kind === 'stratus') {
    const predictions = rowPredictions(signature, result) as Array<Record<string, unknown>>;
    const first = predictions[0] ?? {};
    tensors =
      'label' in first
        ? [
            {
              name: 'label',
              shape: [result.rows],
              datatype: 'BYTES',
              data: predictions.map((p) => p.label),
            },
            {
              name: 'probabilities',
              shape: [...(result.outputs[0]?.shape ?? [result.rows])],
              datatype: 'FP32',
              data: Array.from(result.outputs[0]?.data ?? []),
            },
          ]
        : [
            {
              name: 'value',
              shape: [result.rows],
              datatype: 'FP32',
              data: predictions.map((p) => p.value),
            },
          ];
  } else {
    tensors = result.outputs.map((output, i) => ({
      name: signature.outputs[i]?.name ?? `output_${i}`,
      shape: [...output.shape],
      datatype: output.data instanceof Int32Array ? 'INT32' : 'FP32',
      data: Array.from(output.data),
    }));
  }
  if (requested === undefined) return tensors;
  return requested.map(({ name }) => {
    const tensor = tensors.find((candidate) => candidate.name === name);
    if (tensor === undefined) {
      throw invalidRequest(
        `outputs: unknown output "${name}"; the model returns ${tensors.map((t) => t.name).join(', ')}`,
      );
    }
    return tensor;
  });
};

/** An output an infer request names, and whether it wants it as binary data (`parameters.binary_data`). */
export interface RequestedOutput {
  readonly name: string;
  readonly binary?: boolean;
}

/** A boolean request parameter (undefined when not given). */
export const booleanParameter = (
  parameters: unknown,
  key: string,
  where: string,
): boolean | undefined => {
  if (parameters === undefined) return undefined;
  if (!isPlainObject(parameters)) throw invalidRequest(`${where}: must be an object`);
  const value = parameters[key];
  if (value !== undefined && typeof value !== 'boolean') {
    throw invalidRequest(`${where}.${key}: must be true or false`);
  }
  return value;
};

/** The outputs an infer request's `outputs` names (undefined: all outputs). */
export const requestedOutputs = (body: Record<string, unknown>): RequestedOutput[] | undefined => {
  const { outputs } = body;
  if (outputs === undefined) return undefined;
  if (!Array.isArray(outputs)) throw invalidRequest('outputs: must be a list of {name}');
  return outputs.map((output, i) => {
    if (!isPlainObject(output) || typeof output.name !== 'string')
      throw invalidRequest(`outputs[${i}].name: must be a string`);
    const binary = booleanParameter(output.parameters, 'binary_data', `outputs[${i}].parameters`);
    return binary === undefined ? { name: output.name } : { name: output.name, binary };
  });
};
