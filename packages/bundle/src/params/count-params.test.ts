import { beforeAll, describe, expect, it } from 'vitest';
import { StratusError } from '@stratus/spec';
import { tf } from '../backend/tf.js';
import { assertModelParamsWithinLimit, countModelParams } from './count-params.js';
import { OVERSIZED_MODEL_JSON, OVERSIZED_PARAMS } from './oversized-model.test-support.js';

/** What a tfjs model saves as model.json (weights left out: only the manifest matters). */
const modelJsonOf = async (model: tf.LayersModel): Promise<Record<string, unknown>> => {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === undefined) throw new Error('the model saved nothing');
  return {
    format: 'layers-model',
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: saved.weightSpecs ?? [] }],
  };
};

/**
 * The counter must agree with what tfjs allocates when it loads the same
 * JSON (a rebuilt model's countParams: tfjs's SeparableConv2D, for one, does
 * not save its depth multiplier) and with the manifest the model saved.
 */
const expectCountMatches = async (model: tf.LayersModel): Promise<number> => {
  const json = await modelJsonOf(model);
  const rebuilt = await tf.models.modelFromJSON({
    modelTopology: json.modelTopology as tf.io.ModelJSON['modelTopology'],
  });
  const counted = countModelParams(JSON.parse(JSON.stringify(json)));
  expect(counted).toEqual({ topology: rebuilt.countParams(), manifest: model.countParams() });
  model.dispose();
  rebuilt.dispose();
  return counted.manifest;
};

// A backend for the models built here: importing @stratus/bundle registers wasm, uninitialised,
// above cpu (tests sharing this module graph may also have chosen one).
beforeAll(() => tf.setBackend('cpu'));

describe('countModelParams', () => {
  it('counts a Sequential MLP as tfjs does', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
        tf.layers.batchNormalization(),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({ units: 64, useBias: false }),
        tf.layers.prelu(),
        tf.layers.activation({ activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    expect(await expectCountMatches(model)).toBe(109_898);
  });

  it('counts through a Reshape whose target has a -1', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 12, inputShape: [5] }),
        tf.layers.reshape({ targetShape: [-1, 4] }),
        tf.layers.dense({ units: 3 }),
        tf.layers.globalAveragePooling1d(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    expect(await expectCountMatches(model)).toBe(72 + 15 + 8);
  });

  it('counts a CNN with every convolution, pooling and padding layer', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.zeroPadding2d({
          padding: [
            [1, 2],
            [0, 1],
          ],
          inputShape: [28, 27, 3],
        }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 16, kernelSize: [3, 2], strides: 2, padding: 'same' }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
        tf.layers.separableConv2d({ filters: 12, kernelSize: 3, depthMultiplier: 2 }),
        tf.layers.upSampling2d({ size: [2, 3] }),
        tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2 }),
        tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        tf.layers.cropping2D({
          cropping: [
            [1, 0],
            [0, 1],
          ],
        }),
        tf.layers.batchNormalization({ axis: -1 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10 }),
      ],
    });
    await expectCountMatches(model);
  });

  it('counts 1-D convolutions and global pooling', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv1d({ filters: 6, kernelSize: 5, inputShape: [50, 4], dilationRate: 2 }),
        tf.layers.maxPooling1d({ poolSize: 2 }),
        tf.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'causal' }),
        tf.layers.globalAveragePooling1d(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    await expectCountMatches(model);
  });

  it('counts an RNN: embedding, LSTM, bidirectional GRU, SimpleRNN and TimeDistributed', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 1000, outputDim: 16, inputLength: 20 }),
        tf.layers.lstm({ units: 32, returnSequences: true }),
        tf.layers.bidirectional({
          layer: tf.layers.gru({ units: 8, returnSequences: true }) as tf.RNN,
        }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 5 }) }),
        tf.layers.simpleRNN({ units: 4 }),
        tf.layers.repeatVector({ n: 3 }),
        tf.layers.bidirectional({
          layer: tf.layers.lstm({ units: 2 }) as tf.RNN,
          mergeMode: 'sum',
        }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    await expectCountMatches(model);
  });

  it('counts a functional model with merges, a shared layer and reshapes', async () => {
    const a = tf.input({ shape: [12] });
    const b = tf.input({ shape: [6, 2] });
    const shared = tf.layers.dense({ units: 12 });
    const a1 = shared.apply(a) as tf.SymbolicTensor;
    const a2 = shared.apply(a1) as tf.SymbolicTensor;
    const bFlat = tf.layers.flatten().apply(b) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([a2, bFlat]) as tf.SymbolicTensor;
    const product = tf.layers.multiply().apply([sum, a1]) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate().apply([product, bFlat, a]) as tf.SymbolicTensor;
    const normed = tf.layers.layerNormalization().apply(joined) as tf.SymbolicTensor;
    const cube = tf.layers.reshape({ targetShape: [9, 4] }).apply(normed) as tf.SymbolicTensor;
    const swapped = tf.layers.permute({ dims: [2, 1] }).apply(cube) as tf.SymbolicTensor;
    const conv = tf.layers
      .conv1d({ filters: 5, kernelSize: 2 })
      .apply(swapped) as tf.SymbolicTensor;
    const pooled = tf.layers.globalMaxPooling1d().apply(conv) as tf.SymbolicTensor;
    const scores = tf.layers.dot({ axes: 1 }).apply([pooled, pooled]) as tf.SymbolicTensor;
    const out = tf.layers
      .dense({ units: 3 })
      .apply(
        tf.layers.concatenate().apply([pooled, scores]) as tf.SymbolicTensor,
      ) as tf.SymbolicTensor;
    await expectCountMatches(tf.model({ inputs: [a, b], outputs: out }));
  });

  it('counts a functional model whatever order its layers are listed in, and refuses a dangling input', async () => {
    const input = tf.input({ shape: [4] });
    const hidden = tf.layers.dense({ units: 6 }).apply(input) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 2 }).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const json = (await modelJsonOf(model)) as {
      modelTopology: { config: { layers: { inbound_nodes: unknown[][][] }[] } };
    };
    const { layers } = json.modelTopology.config;
    layers.reverse();
    expect(countModelParams(json).topology).toBe(model.countParams());
    layers[0]!.inbound_nodes = [[['nowhere', 0, 0, {}]]];
    expect(() => countModelParams(json)).toThrow('takes inputs no layer produces');
    model.dispose();
  });

  it('counts a model nested in a Sequential', async () => {
    const inner = tf.sequential({
      layers: [tf.layers.dense({ units: 7, inputShape: [5] }), tf.layers.dense({ units: 3 })],
    });
    const outer = tf.sequential({
      layers: [tf.layers.dense({ units: 5, inputShape: [9] })],
    });
    outer.add(inner);
    outer.add(tf.layers.dense({ units: 2 }));
    await expectCountMatches(outer);
  });

  it('reads a Keras-converted topology: model_config, and an InputLayer inside a Sequential', () => {
    const json = {
      modelTopology: {
        keras_version: '2.15.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              { class_name: 'InputLayer', config: { batch_input_shape: [null, 10], name: 'in' } },
              { class_name: 'Dense', config: { name: 'd1', units: 8, use_bias: true } },
              { class_name: 'Dense', config: { name: 'd2', units: 1, use_bias: false } },
            ],
          },
        },
      },
    };
    expect(countModelParams(json)).toEqual({ topology: 10 * 8 + 8 + 8, manifest: 0 });
  });

  it('sums a graph model from its manifest alone', () => {
    const json = {
      format: 'graph-model',
      modelTopology: { node: [{ name: 'x', op: 'Placeholder' }] },
      weightsManifest: [
        { paths: ['a.bin'], weights: [{ name: 'w', shape: [300, 20], dtype: 'float32' }] },
        { paths: ['b.bin'], weights: [{ name: 'b', shape: [20], dtype: 'float32' }] },
      ],
    };
    expect(countModelParams(json)).toEqual({ topology: undefined, manifest: 6020 });
  });

  it('counts an unknown weightless layer as nothing and refuses an unknown sized one', () => {
    const json = (config: Record<string, unknown>) => ({
      modelTopology: {
        class_name: 'Sequential',
        config: {
          layers: [
            { class_name: 'Dense', config: { name: 'd', units: 4, batch_input_shape: [null, 2] } },
            { class_name: 'MyLayer', config: { name: 'mine', ...config } },
          ],
        },
      },
    });
    expect(countModelParams(json({ scale: 2 }))).toEqual({ topology: 12, manifest: 0 });
    expect(() => countModelParams(json({ units: 10 ** 9 }))).toThrow(
      'layer "mine" (MyLayer): class MyLayer is unknown and declares units',
    );
  });
});

describe('assertModelParamsWithinLimit', () => {
  it('refuses the 600-byte oversized model.json with the parameter count and the limit', () => {
    expect(OVERSIZED_MODEL_JSON.length).toBeLessThan(700);
    let caught: unknown;
    try {
      assertModelParamsWithinLimit(JSON.parse(OVERSIZED_MODEL_JSON), {
        limit: 100_000_000,
        uri: 'gs://demo/models/huge/',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StratusError);
    expect((caught as StratusError).reason).toBe('MODEL_TOO_LARGE');
    expect((caught as StratusError).message).toBe(
      `gs://demo/models/huge/model.json declares ${OVERSIZED_PARAMS} parameters, over the limit of 100,000,000 (STRATUS_MAX_MODEL_PARAMS)`,
    );
  });

  it('refuses a manifest that lists more than the limit even when the topology does not', () => {
    const json = {
      modelTopology: {
        class_name: 'Sequential',
        config: {
          layers: [{ class_name: 'Dense', config: { units: 1, batch_input_shape: [null, 1] } }],
        },
      },
      weightsManifest: [
        { paths: [], weights: [{ name: 'w', shape: [1000, 1000], dtype: 'float32' }] },
      ],
    };
    expect(() => assertModelParamsWithinLimit(json, { limit: 999_999, uri: 'gs://b/m' })).toThrow(
      'gs://b/m/model.json declares 1,000,000 parameters, over the limit of 999,999 (STRATUS_MAX_MODEL_PARAMS)',
    );
    expect(assertModelParamsWithinLimit(json, { limit: 1_000_000, uri: 'gs://b/m' })).toEqual({
      topology: 2,
      manifest: 1_000_000,
    });
  });

  it('refuses a sized layer whose input is unknown as an invalid bundle', () => {
    const json = {
      modelTopology: {
        class_name: 'Sequential',
        config: { layers: [{ class_name: 'Dense', config: { name: 'big', units: 10 } }] },
      },
    };
    expect(() => assertModelParamsWithinLimit(json, { limit: 100, uri: 'gs://b/m' })).toThrow(
      'Model bundle gs://b/m is invalid: model.json cannot be checked against STRATUS_MAX_MODEL_PARAMS: layer "big" (Dense): its input shape is unknown',
    );
  });
});
