/**
 * The trainer's ONNX export: `model.onnx` beside `model.json` when ONNX
 * Runtime answers what TensorFlow.js answers on validation rows; otherwise
 * the bundle stays tfjs-only and the trial's log says why.
 */
import { tf } from '@stratus/bundle';
import type { Storage } from '@stratus/storage';
import * as ort from 'onnxruntime-node';
import type { DataSplit } from '../data/data-split.js';
import { ONNX_INPUT, ONNX_OUTPUT, OnnxExportError, onnxModelBytes } from './onnx-graph.js';

/** Largest difference allowed between ONNX Runtime's and tfjs's outputs on any row. */
export const PARITY_TOLERANCE = 1e-5;
/** Validation rows the parity check runs. */
export const PARITY_ROWS = 256;

export interface OnnxExportOptions {
  readonly storage: Storage;
  /** The bundle directory (`model.json` is already there). */
  readonly modelDir: string;
  readonly model: tf.LayersModel;
  /** Rows to check on: the validation split, else the training split. */
  readonly rows: DataSplit;
  /** Compare argmax too (classifiers). */
  readonly classification: boolean;
  readonly log: (severity: 'INFO' | 'WARNING', message: string) => void;
}

/** Parity of ORT with tfjs on a batch: the largest |Δ| and the first row whose argmax differs. */
export interface Parity {
  readonly rows: number;
  readonly maxDelta: number;
  readonly argmaxMismatch?: number;
}

/** Up to `limit` rows of a split as one `[rows, ...inputShape]` tensor's values. */
async function sampleRows(
  split: DataSplit,
  limit: number,
): Promise<{ xs: Float32Array; rows: number }> {
  const width = split.inputShape.reduce((a, b) => a * b, 1);
  if (split.kind === 'memory') {
    const rows = Math.min(limit, split.rows);
    return { xs: split.xs.slice(0, rows * width), rows };
  }
  const iterator = await split.batches(limit).iterator();
  const first = await iterator.next();
  if (first.done === true) return { xs: new Float32Array(0), rows: 0 };
  const { xs, ys } = first.value;
  const values = Float32Array.from(await xs.data());
  const rows = xs.shape[0] ?? 0;
  tf.dispose([xs, ys]);
  return { xs: values, rows };
}

const argmaxOf = (values: Float32Array, offset: number, width: number): number => {
  let best = 0;
  for (let i = 1; i < width; i += 1) {
    if ((values[offset + i] ?? -Infinity) > (values[offset + best] ?? -Infinity)) best = i;
  }
  return best;
};

/** Run `bytes` on ONNX Runtime and `model` on tfjs over the same rows and compare. */
export async function checkParity(
  bytes: Uint8Array,
  model: tf.LayersModel,
  xs: Float32Array,
  shape: readonly number[],
  classification: boolean,
): Promise<Parity> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const result = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', xs, [...shape]) });
    const onnxOut = result[ONNX_OUTPUT]?.data;
    if (!(onnxOut instanceof Float32Array))
      throw new OnnxExportError('the graph gave no float output');
    const tfjsOut = tf.tidy(() => model.predict(tf.tensor(xs, [...shape])) as tf.Tensor);
    const expected = Float32Array.from(tfjsOut.dataSync());
    tfjsOut.dispose();
    const rows = shape[0] ?? 0;
    if (expected.length !== onnxOut.length) {
      throw new OnnxExportError(
        `the graph gives ${onnxOut.length} values for ${rows} rows, tfjs ${expected.length}`,
      );
    }
    let maxDelta = 0;
    expected.forEach((value, i) => {
      maxDelta = Math.max(maxDelta, Math.abs(value - (onnxOut[i] ?? NaN)));
    });
    const width = rows === 0 ? 0 : expected.length / rows;
    let argmaxMismatch: number | undefined;
    if (classification) {
      for (let row = 0; row < rows && argmaxMismatch === undefined; row += 1) {
        if (argmaxOf(expected, row * width, width) !== argmaxOf(onnxOut, row * width, width)) {
          argmaxMismatch = row;
        }
      }
    }
    return { rows, maxDelta, ...(argmaxMismatch === undefined ? {} : { argmaxMismatch }) };
  } finally {
    await session.release();
  }
}

/** Export, check parity, and write `model.onnx`; false (and a WARNING in the log) when it did not. */
export async function exportOnnx(options: OnnxExportOptions): Promise<boolean> {
  const { model, rows: split, log } = options;
  const keep = (why: string): false => {
    log('WARNING', `ONNX export skipped, the bundle serves on TensorFlow.js only: ${why}`);
    return false;
  };
  try {
    const bytes = onnxModelBytes(model);
    const { xs, rows } = await sampleRows(split, PARITY_ROWS);
    if (rows === 0) return keep('no rows to check the export on');
    const parity = await checkParity(
      bytes,
      model,
      xs,
      [rows, ...split.inputShape],
      options.classification,
    );
    if (!(parity.maxDelta <= PARITY_TOLERANCE)) {
      return keep(
        `ONNX Runtime and TensorFlow.js differ by ${parity.maxDelta.toExponential(2)} on ${rows} rows (more than ${PARITY_TOLERANCE})`,
      );
    }
    if (parity.argmaxMismatch !== undefined) {
      return keep(
        `ONNX Runtime and TensorFlow.js pick different classes for row ${parity.argmaxMismatch}`,
      );
    }
    await options.storage.write(`${options.modelDir}/model.onnx`, bytes);
    log(
      'INFO',
      `ONNX export: model.onnx written (${bytes.length} bytes; on ${rows} rows ONNX Runtime is within ${parity.maxDelta.toExponential(2)} of TensorFlow.js)`,
    );
    return true;
  } catch (error) {
    if (error instanceof OnnxExportError) return keep(error.message);
    return keep(`ONNX Runtime could not run the export: ${(error as Error).message}`);
  }
}
