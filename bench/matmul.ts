// bench/matmul: tf.matMul on the wasm backend for the MLP's first dense layer (64×784 · 784×256),
// with each transpose flag, through tfjs 4.22's own BatchMatMul kernel and through the one
// Stratus registers (packages/trainer/src/backend/wasm-kernels/untransposed-mat-mul.ts).
//   npm run bench:matmul         (BENCH_ROUNDS=5, BENCH_CALLS=20 by default)
// The two kernels swap places in the registry in alternating rounds. Then the same for a whole
// training step of the MLP 784-256-128-10 (batch 64, Adam, `trainOnBatch`): both matmul kernels
// (BatchMatMul and _FusedMatMul) swapped, BENCH_STEPS steps a round. Prints one JSON line:
// ms per call per round, samples/s per round, and the medians.
import { loadavg } from 'node:os';
import { tf } from '@stratus/bundle';
import { selectTrainingBackend } from '@stratus/trainer';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const STEPS = Number(process.env.BENCH_STEPS ?? 30);
const BATCH = 64;
const [ROWS, INNER, COLS] = [64, 784, 256];
const FLAGS = {
  ff: [false, false],
  tf: [true, false],
  ft: [false, true],
  tt: [true, true],
} as const;
type Flag = keyof typeof FLAGS;
type Kernel = 'tfjs' | 'stratus';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Makes `config` the wasm kernel of its name. */
const install = (config: tf.KernelConfig): void => {
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
};

/** Samples/s of `STEPS` training steps of the MLP on one fixed batch. */
const timeTrainingSteps = async (
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
): Promise<number> => {
  await model.trainOnBatch(x, y);
  const start = performance.now();
  for (let i = 0; i < STEPS; i += 1) await model.trainOnBatch(x, y);
  return (STEPS * BATCH * 1000) / (performance.now() - start);
};

const mlp = (): tf.LayersModel => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [INNER], units: COLS, activation: 'relu' }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
};

/** ms per tf.matMul call with operands stored as the flags say. */
const timeProduct = (flag: Flag): number => {
  const [transposeA, transposeB] = FLAGS[flag];
  const a = tf.randomUniform(transposeA ? [INNER, ROWS] : [ROWS, INNER]);
  const b = tf.randomUniform(transposeB ? [COLS, INNER] : [INNER, COLS]);
  tf.matMul(a, b, transposeA, transposeB).dispose();
  const start = performance.now();
  for (let i = 0; i < CALLS; i += 1) tf.matMul(a, b, transposeA, transposeB).dispose();
  const ms = (performance.now() - start) / CALLS;
  tf.dispose([a, b]);
  return ms;
};

const main = async (): Promise<void> => {
  const original = tf.getKernel(tf.BatchMatMul, 'wasm');
  const originalFused = tf.getKernel(tf._FusedMatMul, 'wasm');
  await selectTrainingBackend('wasm');
  const stratus = tf.getKernel(tf.BatchMatMul, 'wasm');
  const stratusFused = tf.getKernel(tf._FusedMatMul, 'wasm');
  if (original === undefined || stratus === undefined || original === stratus) {
    throw new Error('expected tfjs and Stratus BatchMatMul kernels for wasm');
  }
  if (originalFused === undefined || stratusFused === undefined) {
    throw new Error('expected tfjs and Stratus _FusedMatMul kernels for wasm');
  }
  const kernels: Record<Kernel, tf.KernelConfig> = {
    tfjs: { ...original },
    stratus: { ...stratus },
  };
  const fusedKernels: Record<Kernel, tf.KernelConfig> = {
    tfjs: { ...originalFused },
    stratus: { ...stratusFused },
  };
  const rounds: Record<Kernel, Record<Flag, number[]>> = {
    tfjs: { ff: [], tf: [], ft: [], tt: [] },
    stratus: { ff: [], tf: [], ft: [], tt: [] },
  };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order: Kernel[] = round % 2 === 0 ? ['tfjs', 'stratus'] : ['stratus', 'tfjs'];
    for (const kernel of order) {
      install(kernels[kernel]);
      for (const flag of Object.keys(FLAGS) as Flag[]) rounds[kernel][flag].push(timeProduct(flag));
    }
  }
  const model = mlp();
  const x = tf.randomUniform([BATCH, INNER]);
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32'), 10);
  const samplesPerSecond: Record<Kernel, number[]> = { tfjs: [], stratus: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order: Kernel[] = round % 2 === 0 ? ['tfjs', 'stratus'] : ['stratus', 'tfjs'];
    for (const kernel of order) {
      install(kernels[kernel]);
      install(fusedKernels[kernel]);
      samplesPerSecond[kernel].push(await timeTrainingSteps(model, x, y));
    }
  }
  tf.dispose([x, y]);
  install(kernels.stratus);
  install(fusedKernels.stratus);
  const medians = (kernel: Kernel) =>
    Object.fromEntries(
      (Object.keys(FLAGS) as Flag[]).map((flag) => [
        flag,
        +median(rounds[kernel][flag]).toFixed(2),
      ]),
    );
  const round2 = (values: number[]) => values.map((v) => +v.toFixed(2));
  console.log(
    JSON.stringify({
      bench: 'matmul',
      backend: tf.getBackend(),
      shape: `${ROWS}x${INNER}·${INNER}x${COLS}`,
      calls: CALLS,
      msPerCall: { tfjs: medians('tfjs'), stratus: medians('stratus') },
      mlpTrainingSamplesPerSecond: {
        model: `${INNER}-${COLS}-128-10, batch ${BATCH}, Adam`,
        steps: STEPS,
        tfjs: Math.round(median(samplesPerSecond.tfjs)),
        stratus: Math.round(median(samplesPerSecond.stratus)),
        rounds: {
          tfjs: samplesPerSecond.tfjs.map(Math.round),
          stratus: samplesPerSecond.stratus.map(Math.round),
        },
      },
      rounds: Object.fromEntries(
        (['tfjs', 'stratus'] as Kernel[]).map((k) => [
          k,
          Object.fromEntries((Object.keys(FLAGS) as Flag[]).map((f) => [f, round2(rounds[k][f])])),
        ]),
      ),
      loadavg: loadavg().map((v) => +v.toFixed(2)),
    }),
  );
};

await main();
