/**
 * The model.json of the resource-limit report: about 600 bytes that declare a
 * Dense layer of 150,000,000 units over 784 inputs, 117.6 billion parameters
 * (470 GB of float32) that tfjs would start allocating on load.
 */
export const OVERSIZED_MODEL_JSON = JSON.stringify({
  format: 'layers-model',
  generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
  convertedBy: null,
  modelTopology: {
    class_name: 'Sequential',
    config: {
      name: 'sequential_1',
      layers: [
        {
          class_name: 'Dense',
          config: {
            units: 150_000_000,
            activation: 'linear',
            use_bias: false,
            kernel_initializer: { class_name: 'Zeros', config: {} },
            name: 'dense_Dense1',
            trainable: true,
            batch_input_shape: [null, 784],
            dtype: 'float32',
          },
        },
      ],
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  },
  weightsManifest: [
    {
      paths: ['group1-shard1of1.bin'],
      weights: [{ name: 'dense_Dense1/kernel', shape: [784, 1], dtype: 'float32' }],
    },
  ],
});

/** Its parameter count as the refusal prints it. */
export const OVERSIZED_PARAMS = '117,600,000,000';
