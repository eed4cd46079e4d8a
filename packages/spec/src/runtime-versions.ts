/**
 * Cloud ML runtime versions Stratus honours: the TensorFlow 2.x ones. Every
 * one runs on the same TensorFlow.js runtime (tfjs 4, Keras-compatible
 * layers and SavedModel-free bundles), which is what a 2.x trainer expects;
 * 1.x runtimes (graph mode, tf.contrib) cannot be honoured.
 */
export const RUNTIME_VERSIONS = [
  '2.1',
  '2.2',
  '2.3',
  '2.4',
  '2.5',
  '2.6',
  '2.7',
  '2.8',
  '2.9',
  '2.10',
  '2.11',
] as const;

/** What a job that names no runtimeVersion runs on (reported in builtInAlgorithmOutput). */
export const DEFAULT_RUNTIME_VERSION = '2.11';

/** Cloud ML's Python version for every 2.x runtime; recorded (trainers run on Node.js). */
export const PYTHON_VERSIONS = ['3.7'] as const;

/** What a job that names no pythonVersion reports. */
export const DEFAULT_PYTHON_VERSION = '3.7';

/** Why a runtimeVersion cannot be honoured, or undefined. */
export const runtimeVersionProblem = (version: string): string | undefined =>
  (RUNTIME_VERSIONS as readonly string[]).includes(version)
    ? undefined
    : `"${version}" cannot be honoured: Stratus runs the TensorFlow 2.x runtimes on TensorFlow.js; use one of ${RUNTIME_VERSIONS.join(', ')}`;

/** Why a pythonVersion is refused, or undefined. */
export const pythonVersionProblem = (version: string): string | undefined =>
  (PYTHON_VERSIONS as readonly string[]).includes(version)
    ? undefined
    : `"${version}" is not a Python version of the 2.x runtimes; use ${PYTHON_VERSIONS.join(', ')} (it is recorded: trainers run on Node.js)`;
