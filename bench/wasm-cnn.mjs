// Training throughput of the image_classifier CNN (28x28x1 input, 'same' 3x3 convs with 16
// and 32 filters, 2x2 pools, dense 64, dropout, softmax 10; Adam; batch 64) per tfjs
// backend. Imports the built package: run `npx tsc -b packages/trainer` first.
//   node bench/wasm-cnn.mjs [--backends=wasm,cpu] [--samples=2048] [--cpu-samples=128] [--profile]
import { performance } from 'node:perf_hooks';
import { selectBackend, tf } from '@stratus/trainer';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'];
  }),
);
const backends = (args.backends ?? 'wasm,cpu').split(',');
const batchSize = Number(args.batch ?? 64);

function buildModel() {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

function data(samples) {
  const x = tf.randomUniform([samples, 28, 28, 1], 0, 1, 'float32', 1);
  const labels = tf.randomUniform([samples], 0, 10, 'int32', 2);
  const y = tf.oneHot(labels, 10).toFloat();
  labels.dispose();
  return { x, y };
}

async function profileStep(model, x, y) {
  const xb = x.slice(0, batchSize);
  const yb = y.slice(0, batchSize);
  const info = await tf.profile(() => model.trainOnBatch(xb, yb));
  const byKernel = {};
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byKernel[k.name] = (byKernel[k.name] ?? 0) + ms;
  }
  tf.dispose([xb, yb]);
  return Object.fromEntries(
    Object.entries(byKernel)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, ms]) => [name, Number(ms.toFixed(1))]),
  );
}

for (const name of backends) {
  const info = await selectBackend(name);
  const samples = Number(name === 'cpu' ? (args['cpu-samples'] ?? 128) : (args.samples ?? 2048));
  const model = buildModel();
  const { x, y } = data(samples);
  await model.fit(x.slice(0, batchSize), y.slice(0, batchSize), {
    batchSize,
    epochs: 1,
    verbose: 0,
  });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const history = await model.fit(x, y, { batchSize, epochs: 1, verbose: 0, shuffle: false });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // Process CPU time as well as wall time: on a shared machine the wall figure mostly
  // measures the neighbours. Both backends run single-threaded here.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const result = {
    backend: info.name,
    simd: info.simd,
    threads: info.threads,
    samples,
    batchSize,
    seconds: Number(seconds.toFixed(2)),
    samplesPerSecond: Number((samples / seconds).toFixed(1)),
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    samplesPerCpuSecond: Number((samples / cpuSeconds).toFixed(1)),
    loss: Number(history.history.loss[0].toFixed(4)),
  };
  if (args.profile === 'true') result.profileMs = await profileStep(model, x, y);
  console.log(JSON.stringify(result));
  tf.dispose([x, y]);
  model.dispose();
}
