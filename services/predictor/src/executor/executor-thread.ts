/**
 * A worker thread of the predictor's pool: its own tfjs backend, storage
 * client and ModelRunner; answers ThreadRequests one at a time in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from '@stratus/spec';
import { createStorage, type CreateStorageOptions } from '@stratus/storage';
import { selectBackend, type BackendPreference } from '@stratus/bundle';
import { type HostTensor, ModelRunner } from '@stratus/serving';
import { buffersOf, type ThreadReply, type ThreadRequest, type ThreadValue } from './wire.js';

/** What the pool hands each thread. */
export interface ThreadData {
  readonly storage: CreateStorageOptions;
  readonly backend: BackendPreference;
  /** STRATUS_MAX_MODEL_PARAMS */
  readonly maxModelParams: number;
  /** STRATUS_PREDICT_ONNX_THREADS */
  readonly onnxThreads: number;
}

const port = parentPort;
if (port === null) throw new Error('executor-thread must run in a worker thread');
const data = workerData as ThreadData;
const reply = (message: ThreadReply, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

const handle = async (runner: ModelRunner, request: ThreadRequest): Promise<void> => {
  try {
    let value: ThreadValue = null;
    let transfer: ArrayBuffer[] = [];
    switch (request.op) {
      case 'load':
        value = await runner.load(request.key, request.uri, request.runtime);
        break;
      case 'unload':
        runner.unload(request.key);
        break;
      case 'run': {
        const outputs: HostTensor[] = await runner.run(request.key, request.inputs);
        value = outputs;
        transfer = buffersOf(outputs);
        break;
      }
      case 'memory':
        value = runner.memory();
        break;
    }
    reply({ id: request.id, ok: true, value }, transfer);
  } catch (error) {
    reply({ id: request.id, ok: false, error: toWireError(error) });
  }
};

try {
  const storage = createStorage(data.storage);
  const backend = await selectBackend(data.backend);
  const runner = new ModelRunner(storage, {
    maxModelParams: data.maxModelParams,
    onnxThreads: data.onnxThreads,
  });
  // One request at a time, in arrival order: a batch never interleaves with another.
  let chain = Promise.resolve();
  port.on('message', (request: ThreadRequest) => {
    chain = chain.then(() => handle(runner, request));
  });
  reply({ ready: true, backend: backend.name });
} catch (error) {
  reply({ ready: false, error: toWireError(error) });
}
