import { tf } from '@stratus/bundle';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** AdamOptimizer's private state (tfjs-core 4.22's adam_optimizer.js), read under its names. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
}

/** tfjs-core's NamedTensor, which its index does not export. */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

const f32 = Math.fround;

/** Scalars of one Adam step, float32 as tfjs's scalar tensors hold them. */
interface AdamCoefficients {
  beta1: number;
  beta2: number;
  /** 1 - beta1 and 1 - beta2. */
  keep1: number;
  keep2: number;
  /** 1 - beta1^t and 1 - beta2^t. */
  oneMinusAcc1: number;
  oneMinusAcc2: number;
  epsilon: number;
  /** -learningRate. */
  step: number;
}

/** Gradient, moments and weights (`m`, `v`, `w`) and where their next values go. */
interface AdamBuffers {
  g: Float32Array;
  m: Float32Array;
  v: Float32Array;
  w: Float32Array;
  m1: Float32Array;
  v1: Float32Array;
  w1: Float32Array;
}

/**
 * tfjs-core's Adam update (m, v, bias correction, w) for every element, in float64 and
 * rounded to float32 only when stored: rounding after every operation as tfjs's tensor ops
 * do (Math.fround) measured 3x slower than this loop. A function of its own so V8 optimises it.
 */
function adamUpdate(buffers: AdamBuffers, c: AdamCoefficients): void {
  const { g, m, v, w, m1, v1, w1 } = buffers;
  const { beta1, beta2, keep1, keep2, epsilon, step } = c;
  const correct1 = 1 / c.oneMinusAcc1;
  const correct2 = 1 / c.oneMinusAcc2;
  const n = w.length;
  for (let k = 0; k < n; k++) {
    const gk = g[k] as number;
    const mk = (m[k] as number) * beta1 + gk * keep1;
    const vk = (v[k] as number) * beta2 + gk * gk * keep2;
    m1[k] = mk;
    v1[k] = vk;
    w1[k] = (w[k] as number) + (step * mk * correct1) / (Math.sqrt(vk * correct2) + epsilon);
  }
}

/**
 * Adam whose update runs, on the wasm backend, as one pass per variable over the wasm heap
 * instead of tfjs's ~16 tensor ops per variable (each its own kernel call, buffer and engine
 * bookkeeping: about a third of an MLP training step). The weights and moments are those of
 * `tf.train.adam` on the cpu backend up to float32 rounding (fused-adam.test.ts). Moments, `accBeta1`/`accBeta2`, their names and
 * `getWeights`/`setWeights` are AdamOptimizer's own, so checkpoints are unchanged; on other
 * backends it is AdamOptimizer.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(gradients: tf.NamedTensorMap | NamedTensor[]): void {
    const named: NamedTensor[] = Array.isArray(gradients)
      ? gradients
      : Object.entries(gradients).map(([name, tensor]) => ({ name, tensor }));
    const variables = tf.engine().registeredVariables;
    const fusable =
      tf.getBackend() === 'wasm' &&
      named.every(
        ({ name, tensor }) => tensor.dtype === 'float32' && variables[name]?.dtype === 'float32',
      );
    if (!fusable) {
      super.applyGradients(gradients as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
      return;
    }
    const state = this as unknown as AdamState;
    const wasm = tf.backend() as BackendWasm;
    const oneMinusAcc1 = f32(1 - (state.accBeta1.dataSync()[0] as number));
    const oneMinusAcc2 = f32(1 - (state.accBeta2.dataSync()[0] as number));
    const coefficients: AdamCoefficients = {
      beta1: f32(this.beta1),
      beta2: f32(this.beta2),
      keep1: f32(1 - this.beta1),
      keep2: f32(1 - this.beta2),
      oneMinusAcc1,
      oneMinusAcc2,
      epsilon: f32(this.epsilon),
      step: f32(-this.learningRate),
    };
    named.forEach(({ name, tensor: gradient }, i) => {
      const value = variables[name] as tf.Variable;
      const moment = (slots: AdamState['accumulatedFirstMoment'], suffix: string) => {
        const slot = slots[i] ?? {
          originalName: `${name}/${suffix}`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        slots[i] = slot;
        return slot.variable;
      };
      const first = moment(state.accumulatedFirstMoment, 'm');
      const second = moment(state.accumulatedSecondMoment, 'v');
      const shape = [...value.shape];
      const outputs = [first, second, value].map(() => wasm.makeOutput(shape, 'float32'));
      // Views are taken after makeOutput: allocating may grow (and so detach) the wasm heap.
      const [m1, v1, w1] = outputs.map((o) => wasm.typedArrayFromHeap(o) as Float32Array) as [
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      const g = wasm.typedArrayFromHeap(gradient) as Float32Array;
      const m = wasm.typedArrayFromHeap(first) as Float32Array;
      const v = wasm.typedArrayFromHeap(second) as Float32Array;
      const w = wasm.typedArrayFromHeap(value) as Float32Array;
      adamUpdate({ g, m, v, w, m1, v1, w1 }, coefficients);
      [first, second, value].forEach((variable, j) => {
        const next = tf.engine().makeTensorFromTensorInfo(outputs[j] as tf.TensorInfo);
        variable.assign(next);
        next.dispose();
      });
    });
    tf.tidy(() => {
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}
