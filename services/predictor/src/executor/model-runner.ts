import { StratusError, coerceError } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import { labelWidth, loadBundle, tf, type Bundle } from '@stratus/bundle';
import type { HostTensor, ModelSignature, TensorDtype, TensorSpec } from '../signature.js';

/** A model loaded and warmed by a runner. */
export interface LoadedModel {
  readonly signature: ModelSignature;
  /** Bytes of tensors the model holds (its weights), measured by tfjs. */
  readonly bytes: number;
}

/** tfjs memory of one runner: flat under load when no tensor outlives its request. */
export interface RunnerMemory {
  readonly numTensors: number;
  readonly numBytes: number;
}

/** The reason a runner gives for a batch naming a model it does not hold (evicted, deleted). */
export const NOT_LOADED = 'not loaded in this runner';

const dtypeOf = (uri: string, name: string, dtype: string | undefined): TensorDtype => {
  if (dtype === undefined || dtype === 'float32') return 'float32';
  if (dtype === 'int32') return 'int32';
  throw new StratusError('BUNDLE_INVALID', {
    uri,
    detail: `tensor "${name}" has dtype ${dtype}; only float32 and int32 are served`,
  });
};

/** A tensor of the model; an output whose shape the model does not declare gets it from the warm-up. */
type DeclaredSpec = Omit<TensorSpec, 'shape'> & { readonly shape: TensorSpec['shape'] | undefined };

const spec = (
  uri: string,
  key: string,
  shape: readonly (number | null)[] | undefined,
  dtype: string | undefined,
): DeclaredSpec => {
  if (shape !== undefined && shape.length === 0) {
    throw new StratusError('BUNDLE_INVALID', {
      uri,
      detail: `tensor "${key}" has no batch dimension`,
    });
  }
  return {
    name: key.replace(/:0$/, ''),
    key,
    shape: shape?.slice(1).map((dim) => (dim === null || dim < 0 ? null : dim)),
    dtype: dtypeOf(uri, key, dtype),
  };
};

/** The declared signature (outputs may lack shapes until the warm-up batch shows them). */
interface DeclaredSignature extends Omit<ModelSignature, 'outputs'> {
  readonly outputs: readonly DeclaredSpec[];
}

const declared = (uri: string, input: DeclaredSpec): TensorSpec => {
  if (input.shape === undefined) {
    throw new StratusError('BUNDLE_INVALID', {
      uri,
      detail: `input "${input.key}" has no declared shape`,
    });
  }
  return { ...input, shape: input.shape };
};

/** Inputs and outputs of a loaded bundle. */
const signatureOf = (bundle: Bundle): DeclaredSignature => {
  const { uri } = bundle;
  if (bundle.kind === 'graph') {
    const { model } = bundle;
    return {
      kind: 'graph',
      inputs: model.inputs.map((info) =>
        declared(uri, spec(uri, info.name, info.shape, info.dtype)),
      ),
      outputs: model.outputs.map((info) => spec(uri, info.name, info.shape, info.dtype)),
    };
  }
  const { model } = bundle;
  // Layer names, as saved: tensor names get a process-wide `_1` suffix when a name repeats.
  const inputs = model.inputs.map((input, i) =>
    declared(uri, spec(uri, model.inputNames[i] ?? input.name, input.shape, input.dtype)),
  );
  const outputs = model.outputs.map((output, i) =>
    spec(uri, model.outputNames[i] ?? output.name, output.shape, output.dtype),
  );
  if (bundle.kind === 'layers') return { kind: 'layers', inputs, outputs };
  const { preprocessing } = bundle.manifest;
  const [output] = outputs;
  if (inputs.length !== 1 || output?.shape === undefined || output.shape.length !== 1) {
    throw new StratusError('BUNDLE_INVALID', {
      uri,
      detail: 'a Stratus bundle must have one input and one output of rank 2',
    });
  }
  if (output.shape[0] !== labelWidth(preprocessing.label)) {
    throw new StratusError('BUNDLE_INVALID', {
      uri,
      detail: `stratus.json describes ${labelWidth(preprocessing.label)} outputs but the model has ${String(output.shape[0])}`,
    });
  }
  return { kind: 'stratus', inputs, outputs, manifest: bundle.manifest };
};

/** A batch of one all-zero row per input: what warms a model. */
const warmupBatch = (signature: DeclaredSignature): HostTensor[] =>
  signature.inputs.map((input) => {
    const shape = [1, ...input.shape.map((dim) => dim ?? 1)];
    const size = shape.reduce((a, b) => a * b, 1);
    return { data: input.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size), shape };
  });

/**
 * Holds loaded bundles and runs batches on them, in whatever thread it lives
 * in (the event loop, or one worker thread of the pool). Every tensor a call
 * creates is disposed before it returns.
 */
export class ModelRunner {
  private readonly bundles = new Map<string, { bundle: Bundle; signature: ModelSignature }>();
  private readonly needsAsync = new WeakSet<Bundle>();

  /** `maxModelParams`: STRATUS_MAX_MODEL_PARAMS, checked on model.json before tfjs loads anything. */
  constructor(
    private readonly storage: Storage,
    private readonly maxModelParams: number,
  ) {}

  /** Load the bundle at `uri` under `key` (replacing any), then warm it with one dummy row. */
  async load(key: string, uri: string): Promise<LoadedModel> {
    this.unload(key);
    const before = tf.memory().numBytes;
    const bundle = await loadBundle(this.storage, uri, { maxParams: this.maxModelParams });
    try {
      const declaredSignature = signatureOf(bundle);
      const warm = await this.execute(
        bundle,
        declaredSignature,
        warmupBatch(declaredSignature),
      ).catch((error: unknown) => {
        throw new StratusError(
          'BUNDLE_INVALID',
          { uri, detail: `the warm-up batch failed: ${coerceError(error).message}` },
          { cause: error },
        );
      });
      const signature: ModelSignature = {
        ...declaredSignature,
        outputs: declaredSignature.outputs.map((output, i) => ({
          ...output,
          shape: output.shape ?? warm[i]?.shape.slice(1) ?? [],
        })),
      };
      this.bundles.set(key, { bundle, signature });
      return { signature, bytes: Math.max(0, tf.memory().numBytes - before) };
    } catch (error) {
      bundle.model.dispose();
      throw error;
    }
  }

  /** Drop a model (no-op when absent). */
  unload(key: string): void {
    this.bundles.get(key)?.bundle.model.dispose();
    this.bundles.delete(key);
  }

  /** Drop every model (on close: an inline runner shares the process's tfjs engine). */
  unloadAll(): void {
    for (const key of [...this.bundles.keys()]) this.unload(key);
  }

  /** Run one batch; outputs come back as host arrays, batch dimension first. */
  async run(key: string, inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    const entry = this.bundles.get(key);
    if (entry === undefined) {
      throw new StratusError('PREDICTOR_UNAVAILABLE', { name: key, detail: NOT_LOADED });
    }
    try {
      return await this.execute(entry.bundle, entry.signature, inputs);
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

  /**
   * `execute` where the graph allows it (no control flow or dynamic shapes);
   * undefined once tfjs says the graph needs `executeAsync`, which is then used.
   */
  private executeSync(
    bundle: Extract<Bundle, { kind: 'graph' }>,
    feed: tf.NamedTensorMap,
    keys: string[],
  ): tf.Tensor | tf.Tensor[] | undefined {
    try {
      return bundle.model.execute(feed, keys);
    } catch (error) {
      if (!/executeAsync/.test(coerceError(error).message)) throw error;
      this.needsAsync.add(bundle);
      return undefined;
    }
  }

  memory(): RunnerMemory {
    const { numTensors, numBytes } = tf.memory();
    return { numTensors, numBytes };
  }

  private async execute(
    bundle: Bundle,
    signature: DeclaredSignature,
    inputs: readonly HostTensor[],
  ): Promise<HostTensor[]> {
    const tensors = inputs.map((input, i) =>
      tf.tensor(input.data, [...input.shape], signature.inputs[i]?.dtype ?? 'float32'),
    );
    try {
      let outputs: tf.Tensor[];
      if (bundle.kind === 'graph') {
        const feed: tf.NamedTensorMap = {};
        signature.inputs.forEach((input, i) => {
          const tensor = tensors[i];
          if (tensor !== undefined) feed[input.key] = tensor;
        });
        const keys = signature.outputs.map((output) => output.key);
        const result = this.needsAsync.has(bundle)
          ? await bundle.model.executeAsync(feed, keys)
          : (this.executeSync(bundle, feed, keys) ?? (await bundle.model.executeAsync(feed, keys)));
        outputs = Array.isArray(result) ? result : [result];
      } else {
        const result = bundle.model.predict(
          tensors.length === 1 ? (tensors[0] as tf.Tensor) : tensors,
        );
        outputs = Array.isArray(result) ? result : [result];
      }
      try {
        return await Promise.all(
          outputs.map(async (output) => {
            const data = await output.data();
            return {
              data:
                data instanceof Float32Array || data instanceof Int32Array
                  ? data
                  : Float32Array.from(data as ArrayLike<number>),
              shape: output.shape,
            };
          }),
        );
      } finally {
        tf.dispose(outputs);
      }
    } finally {
      tf.dispose(tensors);
    }
  }
}
