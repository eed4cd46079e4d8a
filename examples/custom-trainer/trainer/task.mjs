// A custom Stratus trainer: logistic regression on a numeric CSV whose last column is `label`.
//
// @tensorflow/tfjs and @stratus/hypertune are not bundled: the Stratus worker links its own
// copies into the trainer's node_modules, so this trains on the worker's backend.
import { Buffer } from 'node:buffer';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  getHyperparameters,
  getJobDir,
  getModelDir,
  getTrialId,
  reportHyperparameterTuningMetric,
} from '@stratus/hypertune';

const flags = getHyperparameters();
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const trainData = flags['train-data'] ?? path.join(packageRoot, 'data', 'train.csv');
const epochs = Number(flags.epochs ?? 20);
const learningRate = Number(flags.learningRate ?? 0.1);
console.log(
  `trial ${getTrialId()} of job dir ${getJobDir() ?? '(none)'} on tfjs ${tf.getBackend()}`,
);

function readCsv(text) {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header.split(',');
  const label = columns.indexOf('label');
  if (label === -1) throw new Error(`${trainData}: no "label" column in header "${header}"`);
  const features = [];
  const labels = [];
  for (const [index, line] of lines.entries()) {
    const values = line.split(',').map(Number);
    if (values.length !== columns.length || values.some(Number.isNaN)) {
      throw new Error(`${trainData} line ${index + 2}: expected ${columns.length} numbers`);
    }
    labels.push(values[label]);
    features.push(values.filter((_, column) => column !== label));
  }
  return { features, labels };
}

/** Writes model.json + weights.bin (the tfjs layers format) to a local directory. */
const saveTo = (dir) =>
  tf.io.withSaveHandler(async (artifacts) => {
    await mkdir(dir, { recursive: true });
    const data = artifacts.weightData;
    const weights = Array.isArray(data)
      ? Buffer.concat(data.map((part) => Buffer.from(part)))
      : Buffer.from(data);
    await writeFile(path.join(dir, 'weights.bin'), weights);
    const manifest = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(manifest));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  });

const { features, labels } = readCsv(await readFile(trainData, 'utf8'));
const xs = tf.tensor2d(features);
const ys = tf.tensor2d(labels, [labels.length, 1]);
const model = tf.sequential({
  layers: [tf.layers.dense({ inputShape: [features[0].length], units: 1, activation: 'sigmoid' })],
});
model.compile({
  optimizer: tf.train.adam(learningRate),
  loss: 'binaryCrossentropy',
  metrics: ['accuracy'],
});
await model.fit(xs, ys, {
  epochs,
  batchSize: 16,
  verbose: 0,
  callbacks: {
    onEpochEnd: (epoch, logs) => {
      const accuracy = logs.acc ?? logs.accuracy;
      reportHyperparameterTuningMetric({ tag: 'accuracy', value: accuracy, step: epoch + 1 });
      console.log(
        `epoch ${epoch + 1}/${epochs} loss=${logs.loss.toFixed(4)} accuracy=${accuracy.toFixed(4)}`,
      );
    },
  },
});
const modelDir = getModelDir() ?? path.join(process.cwd(), 'model');
await model.save(saveTo(modelDir));
console.log(`model saved to ${modelDir}`);
