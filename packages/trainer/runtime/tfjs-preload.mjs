// Loaded with `node --import` before a custom trainer's module (see src/custom/run-custom-trainer.ts).
//
// It loads the TensorFlow.js copy the trainer's own module will import — resolved from that
// module's path, so it is the worker's runtime copy linked into node_modules, or the package's
// own bundled copy if it ships one — and activates the backend the worker runs on, named by
// STRATUS_TFJS_BACKEND (tensorflow | wasm | cpu). A backend that cannot start here falls back
// to cpu with a note on stderr. Trainers that never import tfjs pay one module load.
//
// This file runs inside the user's process: reading process.env here is intended.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const requireFromTrainer = createRequire(process.argv[1] ?? path.join(process.cwd(), 'index.js'));
const note = (message) => process.stderr.write(`[stratus] ${message}\n`);

async function load(name) {
  const namespace = await import(pathToFileURL(requireFromTrainer.resolve(name)).href);
  // A CommonJS build (tfjs's Node entry) exposes its exports as `default`.
  return namespace.default ?? namespace;
}

// The worker's wasm backend lacks kernels that training a CNN needs; the trainer package
// registers its own (Conv2DBackpropFilter and faster gradients). They can only join the
// runtime's tfjs copy, not one the trainer package bundles.
async function registerTrainingKernels() {
  const runtimeTfjs = createRequire(import.meta.url).resolve('@tensorflow/tfjs');
  if (realpathSync(runtimeTfjs) !== realpathSync(requireFromTrainer.resolve('@tensorflow/tfjs'))) {
    note('the trainer bundles its own @tensorflow/tfjs; Stratus wasm training kernels not added');
    return;
  }
  const kernels = new URL('../dist/backend/wasm-kernels/register-wasm-kernels.js', import.meta.url);
  const { registerWasmTrainingKernels } = await import(kernels.href);
  registerWasmTrainingKernels();
}

async function activate(tf, wanted) {
  if (wanted === 'tensorflow') {
    for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        await load(name);
        break;
      } catch {
        // not installed on this worker; try the next
      }
    }
  } else if (wanted === 'wasm') {
    const wasm = await load('@tensorflow/tfjs-backend-wasm');
    const dist = path.dirname(requireFromTrainer.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(`${dist}${path.sep}`);
    await registerTrainingKernels();
  } else if (wanted !== 'cpu') {
    throw new Error(`unknown backend "${wanted}"`);
  }
  if (!(await tf.setBackend(wanted))) throw new Error(`tf.setBackend('${wanted}') returned false`);
}

let tf;
try {
  tf = await load('@tensorflow/tfjs');
} catch {
  tf = undefined;
}
// Something else may sit under that name in a bundled node_modules; leave it alone then.
if (typeof tf?.setBackend === 'function') {
  // As in the worker: tfjs's debug checks and console banners off.
  tf.enableProdMode?.();
  const wanted = process.env.STRATUS_TFJS_BACKEND || 'cpu';
  try {
    await activate(tf, wanted);
  } catch (error) {
    note(`tfjs backend "${wanted}" is unavailable in the trainer (${error.message}); using cpu`);
    await tf.setBackend('cpu');
  }
}
