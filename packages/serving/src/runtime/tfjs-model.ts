import { StratusError, coerceError } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import { loadBundle, tf, type Bundle } from '@stratus/bundle';
import type { HostTensor, TensorDtype } from '../signature.js';
import {
  declared,
  rowShape,
  stratusSignature,
  type DeclaredSignature,
  type DeclaredSpec,
  type RuntimeModel,
} from './runtime-model.js';

const dtypeOf = (uri: string, name: string, dtype: string | undefined): TensorDtype => {
  if (dtype === undefined || dtype === 'float32') return 'float32';
  if (dtype === 'int32') return 'int32';
  throw new StratusError('BUNDLE_INVALID', {
    uri,
    detail: `tensor "${name}" has dtype ${dtype}; only float32 and int32 are served`,
  });
};

const spec = (
  uri: string,
  key: string,
  shape: readonly (number | null)[] | undefined,
  dtype: string | undefined,
): DeclaredSpec => ({
  name: key.replace(/:0$/, ''),
  key,
  shape: rowShape(uri, key, shape),
  dtype: dtypeOf(uri, key, dtype),
});

/** Inputs and outputs of a loaded bundle. */
const signatureOf = (bundle: Bundle): DeclaredSignature => {
  const { uri } = bundle;
  if (bundle.kind === 'graph') {
    const { model } = bundle;
    return {
      kind: 'graph',
      runtime: 'tfjs',
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
  if (bundle.kind === 'layers') return { kind: 'layers', runtime: 'tfjs', inputs, outputs };
  return stratusSignature(uri, bundle.manifest, 'tfjs', inputs, outputs);
};

/** A bundle on TensorFlow.js (`model.json`): every tensor a call makes is disposed before it returns. */
export class TfjsModel implements RuntimeModel {
  private needsAsync = false;

  private constructor(
    private readonly bundle: Bundle,
    readonly signature: DeclaredSignature,
    readonly bytes: number,
  ) {}

  /** `maxParams`: STRATUS_MAX_MODEL_PARAMS, checked on model.json before tfjs loads anything. */
  static async load(storage: Storage, uri: string, maxParams: number): Promise<TfjsModel> {
    const before = tf.memory().numBytes;
    const bundle = await loadBundle(storage, uri, { maxParams });
    try {
      const bytes = Math.max(0, tf.memory().numBytes - before);
      return new TfjsModel(bundle, signatureOf(bundle), bytes);
    } catch (error) {
      bundle.model.dispose();
      throw error;
    }
  }

  dispose(): void {
    this.bundle.model.dispose();
  }

  /**
   * `execute` where the graph allows it (no control flow or dynamic shapes);
   * undefined once tfjs says the graph needs `executeAsync`, which is then used.
   */
  private executeSync(
    model: tf.GraphModel,
    feed: tf.NamedTensorMap,
    keys: string[],
  ): tf.Tensor | tf.Tensor[] | undefined {
    try {
      return model.execute(feed, keys);
    } catch (error) {
      if (!/executeAsync/.test(coerceError(error).message)) throw error;
      this.needsAsync = true;
      return undefined;
    }
  }

  async run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    const { bundle, signature } = this;
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
        const result = this.needsAsync
          ? await bundle.model.executeAsync(feed, keys)
          : (this.executeSync(bundle.model, feed, keys) ??
            (await bundle.model.executeAsync(feed, keys)));
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
