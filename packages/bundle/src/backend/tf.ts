import * as tf from '@tensorflow/tfjs';

/**
 * The one TensorFlow.js namespace shared by built-in trainers, custom trainers and the
 * predictor. tfjs keeps its engine and kernel registry on `globalThis`, so a native backend
 * loaded later by `selectBackend` serves every holder of this namespace.
 */
export { tf };
