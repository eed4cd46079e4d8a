import type { PredictRuntime } from '@stratus/config';
import { tf } from '@stratus/bundle';
import { StratusError, coerceError } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import type { HostTensor, ModelSignature } from '../signature.js';
import { ONNX_MODEL_FILE, OnnxModel } from './onnx-model.js';
import type { DeclaredSignature, RuntimeModel } from './runtime-model.js';
import { TfjsModel } from './tfjs-model.js';

/** A model loaded and warmed by a runner. */
export interface LoadedModel {
  readonly signature: ModelSignature;
  /** Bytes of the model's weights (tfjs: measured tensors; ONNX: the graph file). */
  readonly bytes: number;
}

/**
 * Memory of one runner: tfjs's tensors (flat under load when no tensor
 * outlives its request) and the ONNX Runtime sessions open.
 */
export interface RunnerMemory {
  readonly numTensors: number;
  readonly numBytes: number;
  readonly onnxSessions: number;
}

/** What a runner needs besides its storage. */
export interface ModelRunnerOptions {
  /** STRATUS_MAX_MODEL_PARAMS, checked before a model is loaded. */
  readonly maxModelParams: number;
  /** STRATUS_PREDICT_ONNX_THREADS: intra-op threads of each ONNX session. */
  readonly onnxThreads: number;
}

/** The reason a runner gives for a batch naming a model it does not hold (evicted, deleted). */
export const NOT_LOADED = 'not loaded in this runner';

/** A batch of one all-zero row per input: what warms a model. */
const warmupBatch = (signature: DeclaredSignature): HostTensor[] =>
  signature.inputs.map((input) => {
    const shape = [1, ...input.shape.map((dim) => dim ?? 1)];
    const size = shape.reduce((a, b) => a * b, 1);
    return { data: input.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size), shape };
  });

/**
 * Holds loaded models and runs batches on them, in whatever thread it lives
 * in (the event loop, or one worker thread of the pool), each on the runtime
 * chosen when it was loaded: ONNX Runtime for `model.onnx`, TensorFlow.js
 * for `model.json`.
 */
export class ModelRunner {
  private readonly models = new Map<string, { model: RuntimeModel; signature: ModelSignature }>();

  constructor(
    private readonly storage: Storage,
    private readonly options: ModelRunnerOptions,
  ) {}

  /**
   * Load the bundle at `uri` under `key` (replacing any) on `runtime`
   * (`auto`: ONNX Runtime when the bundle has `model.onnx`), then warm it with one dummy row.
   */
  async load(key: string, uri: string, runtime: PredictRuntime): Promise<LoadedModel> {
    this.unload(key);
    const dir = uri.replace(/\/+$/, '');
    const onnx =
      runtime === 'onnx' ||
      (runtime === 'auto' && (await this.storage.exists(`${dir}/${ONNX_MODEL_FILE}`)));
    const { maxModelParams, onnxThreads } = this.options;
    const model: RuntimeModel = onnx
      ? await OnnxModel.load(this.storage, dir, { maxParams: maxModelParams, threads: onnxThreads })
      : await TfjsModel.load(this.storage, dir, maxModelParams);
    try {
      const declared = model.signature;
      const warm = await model.run(warmupBatch(declared)).catch((error: unknown) => {
        throw new StratusError(
          'BUNDLE_INVALID',
          { uri: dir, detail: `the warm-up batch failed: ${coerceError(error).message}` },
          { cause: error },
        );
      });
      const signature: ModelSignature = {
        ...declared,
        outputs: declared.outputs.map((output, i) => ({
          ...output,
          shape: output.shape ?? warm[i]?.shape.slice(1) ?? [],
        })),
      };
      this.models.set(key, { model, signature });
      return { signature, bytes: model.bytes };
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /** Drop a model (no-op when absent). */
  unload(key: string): void {
    this.models.get(key)?.model.dispose();
    this.models.delete(key);
  }

  /** Drop every model (on close: an inline runner shares the process's tfjs engine). */
  unloadAll(): void {
    for (const key of [...this.models.keys()]) this.unload(key);
  }

  /** Run one batch; outputs come back as host arrays, batch dimension first. */
  async run(key: string, inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    const entry = this.models.get(key);
    if (entry === undefined) {
      throw new StratusError('PREDICTOR_UNAVAILABLE', { name: key, detail: NOT_LOADED });
    }
    try {
      return await entry.model.run(inputs);
    } catch (error) {
      if (error instanceof StratusError) throw error;
      // Inputs passed validation but the model refused them (an index out of range, …).
      throw new StratusError(
        'INVALID_PREDICT_REQUEST',
        { detail: `the model failed on these instances: ${coerceError(error).message}` },
        { cause: error },
      );
    }
  }

  memory(): RunnerMemory {
    const { numTensors, numBytes } = tf.memory();
    let onnxSessions = 0;
    for (const { signature } of this.models.values()) {
      if (signature.runtime === 'onnx') onnxSessions += 1;
    }
    return { numTensors, numBytes, onnxSessions };
  }
}
