import { decodePredictions } from '@stratus/bundle';
import type { RequestOutputs } from './prepared-request.js';
import { rowSize, type HostTensor, type ModelSignature } from './signature.js';

/** Row `row` of a batch-first tensor as nested arrays (a number for scalar rows). */
const rowOf = (tensor: HostTensor, row: number): unknown => {
  const shape = tensor.shape.slice(1);
  const size = rowSize(shape);
  if (shape.length === 1) return Array.from(tensor.data.subarray(row * size, (row + 1) * size));
  const nest = (offset: number, depth: number): unknown => {
    if (depth === shape.length) return tensor.data[offset] ?? 0;
    const dim = shape[depth] ?? 0;
    const stride = rowSize(shape.slice(depth + 1));
    return Array.from({ length: dim }, (_, i) => nest(offset + i * stride, depth + 1));
  };
  return nest(row * size, 0);
};

/** A labelled output's row as a Stratus classifier answers: the best label, and each label's score. */
const labelled = (labels: readonly string[], tensor: HostTensor, row: number) => {
  const width = rowSize(tensor.shape.slice(1));
  const scores = Array.from(tensor.data.subarray(row * width, (row + 1) * width));
  let best = 0;
  scores.forEach((score, i) => {
    if (score > (scores[best] ?? -Infinity)) best = i;
  });
  return {
    label: labels[best] ?? '',
    probabilities: Object.fromEntries(labels.map((label, i) => [label, scores[i] ?? 0])),
  };
};

/** Row `row` of output `i`: labelled when the model's signature names its classes. */
const outputRow = (signature: ModelSignature, i: number, tensor: HostTensor, row: number) => {
  const labels = signature.outputs[i]?.labels;
  return labels === undefined ? rowOf(tensor, row) : labelled(labels, tensor, row);
};

/**
 * Predictions in instance order: `{label, probabilities}` / `{value}` for
 * Stratus bundles; for raw models the output's row (nested arrays), or
 * `{outputName: row}` when the model has several outputs; an output with
 * labels (an ONNX version's signature.json) as `{label, probabilities}`.
 */
export const rowPredictions = (signature: ModelSignature, result: RequestOutputs): unknown[] => {
  const [first] = result.outputs;
  if (first === undefined) return [];
  if (signature.kind === 'stratus' && signature.manifest !== undefined) {
    return decodePredictions(signature.manifest.preprocessing.label, first.data, result.rows);
  }
  if (result.outputs.length === 1) {
    return Array.from({ length: result.rows }, (_, row) => outputRow(signature, 0, first, row));
  }
  return Array.from({ length: result.rows }, (_, row) =>
    Object.fromEntries(
      result.outputs.map((output, i) => [
        signature.outputs[i]?.name ?? `output_${i}`,
        outputRow(signature, i, output, row),
      ]),
    ),
  );
};

/**
 * TF Serving's columnar `outputs`: a raw model's single output as a
 * batch-first list, several as `{name: list}`; a Stratus bundle's
 * predictions with each field as a list (`{label: [...], probabilities: [...]}`).
 */
export const columnarOutputs = (signature: ModelSignature, result: RequestOutputs): unknown => {
  const rows = rowPredictions(signature, result);
  const single = result.outputs.length === 1 && signature.outputs[0]?.labels === undefined;
  if (signature.kind !== 'stratus' && single) return rows;
  const columns: Record<string, unknown[]> = {};
  for (const row of rows) {
    for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
      (columns[key] ??= []).push(value);
    }
  }
  return columns;
};
