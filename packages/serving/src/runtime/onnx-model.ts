import { MANIFEST_FILE, parseManifest } from '@stratus/bundle/manifest';
import { modelTooLarge } from '@stratus/bundle';
import { StratusError, coerceError } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import * as ort from 'onnxruntime-node';
import type { HostTensor, TensorDtype, TensorSpec } from '../signature.js';
import { readOnnxSignatureFile, type OnnxSignatureFile } from './onnx-signature-file.js';
import {
  declared,
  rowShape,
  stratusSignature,
  type DeclaredSignature,
  type DeclaredSpec,
  type RuntimeModel,
} from './runtime-model.js';

/** The file a bundle holds its ONNX graph in. */
export const ONNX_MODEL_FILE = 'model.onnx';

/** Element types served, and what clients see them as (int64 crosses as int32). */
const SERVED: Readonly<Record<string, TensorDtype>> = {
  float32: 'float32',
  int32: 'int32',
  int64: 'int32',
};

export interface OnnxModelOptions {
  /** STRATUS_MAX_MODEL_PARAMS: a graph of more than 4 bytes per allowed parameter is refused unread. */
  readonly maxParams: number;
  /** STRATUS_PREDICT_ONNX_THREADS: the session's intra-op threads. */
  readonly threads: number;
}

const invalid = (uri: string, detail: string): StratusError =>
  new StratusError('BUNDLE_INVALID', { uri, detail });

/** A graph input or output as a served tensor, under the name the signature file gives it. */
const specOf = (
  uri: string,
  meta: ort.InferenceSession.ValueMetadata,
  rename: { readonly name?: string; readonly labels?: readonly string[] } | undefined,
): DeclaredSpec & { readonly ortType: string } => {
  if (!meta.isTensor) throw invalid(uri, `"${meta.name}" is not a tensor`);
  const dtype = SERVED[meta.type];
  if (dtype === undefined) {
    throw invalid(
      uri,
      `tensor "${meta.name}" has type ${meta.type}; only float32, int32 and int64 are served`,
    );
  }
  return {
    name: rename?.name ?? meta.name,
    key: meta.name,
    shape: rowShape(uri, meta.name, meta.shape.length === 0 ? undefined : meta.shape),
    dtype,
    ortType: meta.type,
    ...(rename?.labels === undefined ? {} : { labels: rename.labels }),
  };
};

/** Every name the signature file gives must be a graph input or output, and labels fit their output. */
const checkSignatureFile = (
  uri: string,
  file: OnnxSignatureFile,
  inputs: readonly DeclaredSpec[],
  outputs: readonly DeclaredSpec[],
): void => {
  const check = (side: 'inputs' | 'outputs', named: readonly DeclaredSpec[]): void => {
    for (const key of Object.keys(file[side] ?? {})) {
      if (!named.some((spec) => spec.key === key)) {
        throw invalid(
          uri,
          `signature.json names ${side.slice(0, -1)} "${key}" but the graph has ${named.map((s) => `"${s.key}"`).join(', ')}`,
        );
      }
    }
  };
  check('inputs', inputs);
  check('outputs', outputs);
  for (const output of outputs) {
    const { labels, shape } = output;
    // An output whose shape the graph leaves open cannot be checked before it answers.
    if (labels === undefined || shape === undefined) continue;
    const width = shape.length === 1 ? shape[0] : undefined;
    if (shape.length !== 1 || (width !== null && width !== labels.length)) {
      throw invalid(
        uri,
        `signature.json gives output "${output.key}" ${labels.length} labels but its rows are [${shape.map((dim) => dim ?? -1).join(', ')}]`,
      );
    }
  }
};

/** A batch-first host tensor as an ORT tensor of the graph's type. */
const toOrt = (input: HostTensor, ortType: string): ort.Tensor =>
  ortType === 'int64'
    ? new ort.Tensor(
        'int64',
        BigInt64Array.from(input.data, (v) => BigInt(v)),
        [...input.shape],
      )
    : new ort.Tensor(ortType === 'int32' ? 'int32' : 'float32', input.data, [...input.shape]);

const fromOrt = (tensor: ort.Tensor): HostTensor => {
  const { data } = tensor;
  const shape = [...tensor.dims];
  if (data instanceof Float32Array || data instanceof Int32Array) return { data, shape };
  if (data instanceof BigInt64Array) return { data: Int32Array.from(data, Number), shape };
  throw new Error(`output has type ${tensor.type}, which is not served`);
};

/**
 * A bundle on ONNX Runtime (`model.onnx`, CPU execution provider): a
 * Stratus bundle (with `stratus.json`) or any ONNX graph, its inputs and
 * outputs named and labelled by an optional `signature.json`.
 */
export class OnnxModel implements RuntimeModel {
  private readonly inputTypes: readonly string[];
  private readonly outputKeys: readonly string[];

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly signature: DeclaredSignature,
    inputTypes: readonly string[],
    readonly bytes: number,
  ) {
    this.inputTypes = inputTypes;
    this.outputKeys = signature.outputs.map((output) => output.key);
  }

  static async load(storage: Storage, dir: string, options: OnnxModelOptions): Promise<OnnxModel> {
    const uri = `${dir}/${ONNX_MODEL_FILE}`;
    if (!(await storage.exists(uri))) throw invalid(dir, `${ONNX_MODEL_FILE} not found`);
    const { size } = await storage.stat(uri);
    if (size / 4 > options.maxParams)
      throw modelTooLarge(uri, Math.ceil(size / 4), options.maxParams);
    const graph = await storage.read(uri);
    const manifestUri = `${dir}/${MANIFEST_FILE}`;
    const manifest = (await storage.exists(manifestUri))
      ? parseManifest(dir, (await storage.read(manifestUri)).toString('utf8'))
      : undefined;
    const file = manifest === undefined ? await readOnnxSignatureFile(storage, dir) : {};
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(graph, {
        executionProviders: ['cpu'],
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (error) {
      throw new StratusError(
        'BUNDLE_INVALID',
        {
          uri: dir,
          detail: `ONNX Runtime cannot load ${ONNX_MODEL_FILE}: ${coerceError(error).message}`,
        },
        { cause: error },
      );
    }
    try {
      const inputs = session.inputMetadata.map((meta) =>
        specOf(dir, meta, file.inputs?.[meta.name]),
      );
      const outputs = session.outputMetadata.map((meta) =>
        specOf(dir, meta, file.outputs?.[meta.name]),
      );
      checkSignatureFile(dir, file, inputs, outputs);
      const served: TensorSpec[] = inputs.map(({ ortType: _, ...input }) => declared(dir, input));
      const servedOutputs = outputs.map(({ ortType: _, ...output }) => output);
      let signature: DeclaredSignature;
      if (manifest === undefined) {
        signature = { kind: 'onnx', runtime: 'onnx', inputs: served, outputs: servedOutputs };
      } else {
        const expected = manifest.preprocessing.inputShape;
        const actual = served[0]?.shape ?? [];
        if (expected.length !== actual.length || expected.some((dim, i) => actual[i] !== dim)) {
          throw invalid(
            dir,
            `${MANIFEST_FILE} describes input shape [${expected.join(', ')}] but ${ONNX_MODEL_FILE} takes [${actual.join(', ')}]`,
          );
        }
        signature = stratusSignature(dir, manifest, 'onnx', served, servedOutputs);
      }
      return new OnnxModel(
        session,
        signature,
        inputs.map((input) => input.ortType),
        size,
      );
    } catch (error) {
      void session.release().catch(() => undefined);
      throw error;
    }
  }

  async run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    const feeds: Record<string, ort.Tensor> = {};
    this.signature.inputs.forEach((spec, i) => {
      const input = inputs[i];
      if (input !== undefined) feeds[spec.key] = toOrt(input, this.inputTypes[i] ?? 'float32');
    });
    const result = await this.session.run(feeds, [...this.outputKeys]);
    return this.outputKeys.map((key) => {
      const tensor = result[key];
      if (tensor === undefined) throw new Error(`ONNX Runtime returned no output "${key}"`);
      return fromOrt(tensor);
    });
  }

  dispose(): void {
    void this.session.release().catch(() => undefined);
  }
}
