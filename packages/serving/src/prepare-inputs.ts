import { featurizeInstances, type InstanceNamer, type Preprocessing } from '@stratus/bundle';
import type { PreparedRequest } from './prepared-request.js';
import { isPacked, type PackedInstances } from './packed-instances.js';
import { rowSize, type ModelSignature, type TensorSpec } from './signature.js';
import { invalidRequest, isPlainObject } from './request-checks.js';

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

const instanceName: InstanceNamer = (index) => `instances[${index}]`;

const featureNames = new WeakMap<Preprocessing, Set<string>>();

/** Stratus bundle: raw feature objects, featurized per instance with the bundle's preprocessing. */
const prepareStratus = (
  preprocessing: Preprocessing,
  instances: readonly unknown[],
  name: InstanceNamer,
): PreparedRequest => {
  let known = featureNames.get(preprocessing);
  if (known === undefined) {
    known = new Set(preprocessing.features.map((feature) => feature.name));
    featureNames.set(preprocessing, known);
  }
  instances.forEach((instance, index) => {
    if (!isPlainObject(instance)) return;
    for (const key of Object.keys(instance)) {
      if (!known.has(key)) {
        throw invalidRequest(
          `${name(index)}: unknown feature "${key}"; the model takes ${[...known].join(', ')}`,
        );
      }
    }
  });
  return {
    rows: instances.length,
    inputs: [featurizeInstances(preprocessing, instances, name)],
    rowShapes: [preprocessing.inputShape],
    shapeKey: '',
  };
};

/** The shape of a nested array, following first elements (a number is `[]`). */
const shapeOf = (value: unknown): number[] => {
  const shape: number[] = [];
  let current = value;
  while (Array.isArray(current)) {
    shape.push(current.length);
    current = current[0];
  }
  return shape;
};

/** Whether one instance of `rowShape` is what the model's input takes (null: any size). */
const fitsShape = (spec: TensorSpec, rowShape: readonly number[]): boolean =>
  rowShape.length === spec.shape.length &&
  spec.shape.every((dim, i) => dim === null || dim === rowShape[i]);

const formatShape = (shape: readonly (number | null)[]): string =>
  `[${shape.map((dim) => (dim === null ? '-1' : String(dim))).join(', ')}]`;

/** Write a nested array of `shape` into `out` at `offset`, checking every element. */
const flatten = (
  value: unknown,
  shape: readonly number[],
  depth: number,
  out: Float32Array | Int32Array,
  offset: number,
  where: () => string,
): number => {
  if (depth === shape.length) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalidRequest(`${where()} must be a finite number, got ${describe(value)}`);
    }
    if (out instanceof Int32Array && !Number.isInteger(value)) {
      throw invalidRequest(`${where()} must be an integer (int32 input), got ${value}`);
    }
    out[offset] = value;
    return offset + 1;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    throw invalidRequest(
      `${where()} is not rectangular: expected ${shape[depth]} elements at depth ${depth}`,
    );
  }
  let next = offset;
  for (const item of value) next = flatten(item, shape, depth + 1, out, next, where);
  return next;
};

/** One input's rows packed into a typed array, every row checked against the model's shape. */
const packInput = (
  spec: TensorSpec,
  values: readonly unknown[],
  name: InstanceNamer,
): { data: Float32Array | Int32Array; rowShape: number[] } => {
  const rowShape = shapeOf(values[0]);
  if (!fitsShape(spec, rowShape)) {
    throw invalidRequest(
      `${name(0)}: input "${spec.name}" has shape ${formatShape(rowShape)}; the model takes ${formatShape(spec.shape)} per instance`,
    );
  }
  const size = rowSize(rowShape);
  const data =
    spec.dtype === 'int32'
      ? new Int32Array(values.length * size)
      : new Float32Array(values.length * size);
  values.forEach((value, index) => {
    // Rank-1 rows of numbers (the common case, e.g. 784 pixels): one tight loop, no recursion.
    if (rowShape.length === 1 && Array.isArray(value) && value.length === size) {
      const offset = index * size;
      let i = 0;
      for (; i < size; i += 1) {
        const item: unknown = value[i];
        if (typeof item !== 'number' || !Number.isFinite(item)) break;
        data[offset + i] = item;
      }
      if (i === size && (data instanceof Float32Array || value.every(Number.isInteger))) return;
    }
    // Anything else, and any row the loop refused, goes the checked way (which names the fault).
    flatten(value, rowShape, 0, data, index * size, () => `${name(index)}: input "${spec.name}"`);
  });
  return { data, rowShape };
};

/** Raw tfjs model: each instance is the input's value, or `{inputName: value}`. */
const prepareRaw = (
  inputs: readonly TensorSpec[],
  instances: readonly unknown[],
  name: InstanceNamer,
): PreparedRequest => {
  const columns: unknown[][] = inputs.map(() => []);
  const names = inputs.map((input) => input.name);
  instances.forEach((instance, index) => {
    if (isPlainObject(instance)) {
      for (const key of Object.keys(instance)) {
        if (!names.includes(key)) {
          throw invalidRequest(
            `${name(index)}: unknown input "${key}"; the model takes ${names.join(', ')}`,
          );
        }
      }
      inputs.forEach((input, i) => {
        if (!(input.name in instance))
          throw invalidRequest(`${name(index)}: missing input "${input.name}"`);
        columns[i]?.push(instance[input.name]);
      });
    } else if (inputs.length === 1) {
      columns[0]?.push(instance);
    } else {
      throw invalidRequest(
        `${name(index)}: the model has ${inputs.length} inputs; send {${names.join(', ')}}`,
      );
    }
  });
  const packed = inputs.map((input, i) => packInput(input, columns[i] ?? [], name));
  const dynamic = inputs.some((input) => input.shape.includes(null));
  return {
    rows: instances.length,
    inputs: packed.map((entry) => entry.data),
    rowShapes: packed.map((entry) => entry.rowShape),
    shapeKey: dynamic ? JSON.stringify(packed.map((entry) => entry.rowShape)) : '',
  };
};

/** Packed instances as the input of a Stratus image bundle: its pixels, as `featurize` copies them. */
const packedPixels = (
  preprocessing: Preprocessing,
  packed: PackedInstances,
): Float32Array | undefined => {
  const [image] = preprocessing.features;
  if (image?.kind !== 'image' || packed.key !== image.name) return undefined;
  // featurize flattens up to 3 levels of nesting; it must hold exactly one image of pixels.
  const pixels = image.height * image.width * image.channels;
  if (packed.rowShape.length > 4 || rowSize(packed.rowShape) !== pixels) return undefined;
  return new Float32Array(packed.values);
};

/** Packed instances as a raw model's one input: its dtype's array, once the shape fits. */
const packedInput = (
  input: TensorSpec,
  packed: PackedInstances,
): Float32Array | Int32Array | undefined => {
  if (packed.key !== undefined && packed.key !== input.name) return undefined;
  const { rowShape, values } = packed;
  if (!fitsShape(input, rowShape)) return undefined;
  if (input.dtype !== 'int32') return new Float32Array(values);
  return values.every(Number.isInteger) ? Int32Array.from(values) : undefined;
};

/**
 * Packed numeric instances ready for the model without a walk: a raw model
 * of one input, or a Stratus image bundle. Undefined where the general path
 * must run (it names any fault): other bundles, several inputs, another
 * shape, a fraction for an int32 input.
 */
const preparePacked = (
  signature: ModelSignature,
  packed: PackedInstances,
): PreparedRequest | undefined => {
  const preprocessing =
    signature.kind === 'stratus' ? signature.manifest?.preprocessing : undefined;
  if (preprocessing !== undefined) {
    const pixels = packedPixels(preprocessing, packed);
    return pixels === undefined
      ? undefined
      : {
          rows: packed.rows,
          inputs: [pixels],
          rowShapes: [preprocessing.inputShape],
          shapeKey: '',
        };
  }
  const [input] = signature.inputs;
  if (signature.kind === 'stratus' || signature.inputs.length !== 1 || input === undefined) {
    return undefined;
  }
  const data = packedInput(input, packed);
  if (data === undefined) return undefined;
  return {
    rows: packed.rows,
    inputs: [data],
    rowShapes: [packed.rowShape],
    shapeKey: input.shape.includes(null) ? JSON.stringify([packed.rowShape]) : '',
  };
};

/**
 * Validate and featurize one request's instances for `signature`, before it
 * meets any other request: a bad instance is INVALID_PREDICT_REQUEST naming it.
 * Packed instances (numbers read straight from the body) skip the walk when
 * the model takes them as they are.
 */
export const prepareInstances = (
  signature: ModelSignature,
  given: readonly unknown[] | PackedInstances,
  name: InstanceNamer = instanceName,
): PreparedRequest => {
  const fast = isPacked(given) ? preparePacked(signature, given) : undefined;
  if (fast !== undefined) return fast;
  const instances = isPacked(given) ? given.toArrays() : given;
  if (instances.length === 0) throw invalidRequest('instances: must hold at least one instance');
  return signature.kind === 'stratus' && signature.manifest !== undefined
    ? prepareStratus(signature.manifest.preprocessing, instances, name)
    : prepareRaw(signature.inputs, instances, name);
};

/** Raw model inputs already packed as typed arrays (KServe tensors), checked against the model. */
export const prepareTensors = (
  signature: ModelSignature,
  tensors: ReadonlyMap<string, { data: Float32Array | Int32Array; shape: readonly number[] }>,
): PreparedRequest => {
  const names = signature.inputs.map((input) => input.name);
  for (const key of tensors.keys()) {
    if (!names.includes(key)) {
      throw invalidRequest(`inputs: unknown input "${key}"; the model takes ${names.join(', ')}`);
    }
  }
  let rows: number | undefined;
  const packed = signature.inputs.map((input) => {
    const tensor = tensors.get(input.name);
    if (tensor === undefined) throw invalidRequest(`inputs: missing input "${input.name}"`);
    const [batch = 0, ...rowShape] = tensor.shape;
    if (!fitsShape(input, rowShape)) {
      throw invalidRequest(
        `inputs: "${input.name}" has shape ${formatShape(tensor.shape)}; the model takes ${formatShape([null, ...input.shape])}`,
      );
    }
    if (rows !== undefined && rows !== batch) {
      throw invalidRequest(
        `inputs: "${input.name}" has ${batch} rows but another input has ${rows}`,
      );
    }
    rows = batch;
    const dtype = tensor.data instanceof Int32Array ? 'int32' : 'float32';
    if (dtype !== input.dtype) {
      throw invalidRequest(
        `inputs: "${input.name}" is ${dtype} but the model takes ${input.dtype}`,
      );
    }
    return { data: tensor.data, rowShape };
  });
  if (rows === undefined || rows === 0) throw invalidRequest('inputs: must hold at least one row');
  const dynamic = signature.inputs.some((input) => input.shape.includes(null));
  return {
    rows,
    inputs: packed.map((entry) => entry.data),
    rowShapes: packed.map((entry) => entry.rowShape),
    shapeKey: dynamic ? JSON.stringify(packed.map((entry) => entry.rowShape)) : '',
  };
};
