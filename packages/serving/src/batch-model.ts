import type { PredictRuntime } from '@stratus/config';
import { StratusError, coerceError } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import { rowPredictions } from './format-outputs.js';
import type { PreparedRequest } from './prepared-request.js';
import { prepareInstances } from './prepare-inputs.js';
import { ModelRunner } from './runtime/model-runner.js';
import { SERVING_SIGNATURE, type ModelSignature } from './signature.js';

/** One instance's outcome: the prediction online `:predict` gives for it, or why it has none. */
export type RowOutcome = { readonly prediction: unknown } | { readonly error: string };

/** A model loaded for batch prediction: instances in, one outcome per instance out. */
export interface BatchModel {
  readonly signature: ModelSignature;
  /** One outcome per instance, in order; a bad instance is an error outcome, never a throw. */
  predictRows(instances: readonly unknown[]): Promise<RowOutcome[]>;
  /** Release the model (its tfjs tensors or ONNX Runtime session). */
  close(): void;
}

/** What `openBatchModel` loads, and how. */
export interface OpenBatchModelOptions {
  readonly storage: Storage;
  /** The `gs://` directory of the model bundle (`model.json` and/or `model.onnx`). */
  readonly uri: string;
  /** `auto`, `tfjs` or `onnx`, as the predictor picks it for the version (`ModelRunner.load`). */
  readonly runtime: PredictRuntime;
  /** STRATUS_MAX_MODEL_PARAMS, checked before the model is loaded. */
  readonly maxModelParams: number;
  /** STRATUS_PREDICT_ONNX_THREADS: intra-op threads of the ONNX session. @defaultValue 1 */
  readonly onnxThreads?: number;
  /** The signature to serve; the predictor has one. @defaultValue `serving_default` */
  readonly signatureName?: string;
}

/** The runner key of the one model a batch model holds. */
const MODEL_KEY = 'batch';

/** The outcome of preparing instances: the request, or the INVALID_PREDICT_REQUEST naming the fault. */
type Prepared = { readonly request: PreparedRequest } | { readonly error: StratusError };

/** Instances named by their index in the `predictRows` call, as `:predict` names them in its body. */
const prepare = (
  signature: ModelSignature,
  instances: readonly unknown[],
  indexes: readonly number[],
): Prepared => {
  try {
    return {
      request: prepareInstances(signature, instances, (i) => `instances[${indexes[i] ?? i}]`),
    };
  } catch (error) {
    if (error instanceof StratusError && error.reason === 'INVALID_PREDICT_REQUEST') {
      return { error };
    }
    throw error;
  }
};

const range = (length: number): number[] => Array.from({ length }, (_, i) => i);

/**
 * Batch prediction on the online predictor's code: the model loaded and
 * warmed by `ModelRunner`, instances featurized by `prepareInstances`, each
 * row's prediction formatted by `rowPredictions`. A batch whose preparation
 * fails is prepared instance by instance to find the bad ones; a model call
 * that fails is retried row by row, as the predictor's scheduler retries a
 * failed batch request by request, so one bad row fails alone.
 */
class RunnerBatchModel implements BatchModel {
  private closed = false;

  constructor(
    private readonly runner: ModelRunner,
    readonly signature: ModelSignature,
    private readonly uri: string,
  ) {}

  async predictRows(instances: readonly unknown[]): Promise<RowOutcome[]> {
    if (this.closed) {
      throw new StratusError('PREDICTOR_UNAVAILABLE', {
        name: this.uri,
        detail: 'the batch model is closed',
      });
    }
    if (instances.length === 0) return [];
    const outcomes: RowOutcome[] = new Array<RowOutcome>(instances.length);
    const all = range(instances.length);
    const whole = prepare(this.signature, instances, all);
    if ('request' in whole) {
      await this.runRows(whole.request, all, instances, outcomes);
      return outcomes;
    }
    // Instances that prepare alone, grouped by row shapes: a group prepares (and runs) as one batch.
    const groups = new Map<string, number[]>();
    for (const index of all) {
      const alone = prepare(this.signature, [instances[index]], [index]);
      if ('error' in alone) {
        outcomes[index] = { error: alone.error.message };
      } else {
        const group = groups.get(alone.request.shapeKey);
        if (group === undefined) groups.set(alone.request.shapeKey, [index]);
        else group.push(index);
      }
    }
    for (const indexes of groups.values()) {
      const group = indexes.map((index) => instances[index]);
      const prepared = prepare(this.signature, group, indexes);
      if ('error' in prepared) {
        for (const index of indexes) outcomes[index] = { error: prepared.error.message };
      } else {
        await this.runRows(prepared.request, indexes, instances, outcomes);
      }
    }
    return outcomes;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.runner.unloadAll();
  }

  /** Run one prepared batch and fill the outcomes of its rows (`indexes` in `instances`). */
  private async runRows(
    request: PreparedRequest,
    indexes: readonly number[],
    instances: readonly unknown[],
    outcomes: RowOutcome[],
  ): Promise<void> {
    let predictions: unknown[];
    try {
      predictions = await this.run(request);
    } catch (error) {
      if (error instanceof StratusError && error.reason === 'PREDICTOR_UNAVAILABLE') throw error;
      if (indexes.length === 1) {
        const [index = 0] = indexes;
        outcomes[index] = { error: coerceError(error).message };
        return;
      }
      for (const index of indexes) {
        const alone = prepare(this.signature, [instances[index]], [index]);
        if ('error' in alone) outcomes[index] = { error: alone.error.message };
        else await this.runRows(alone.request, [index], instances, outcomes);
      }
      return;
    }
    indexes.forEach((index, row) => {
      outcomes[index] = { prediction: predictions[row] };
    });
  }

  /** One model call: the request's predictions, one per row. */
  private async run(request: PreparedRequest): Promise<unknown[]> {
    const outputs = await this.runner.run(
      MODEL_KEY,
      request.inputs.map((data, i) => ({
        data,
        shape: [request.rows, ...(request.rowShapes[i] ?? [])],
      })),
    );
    const short = outputs.find((output) => output.shape[0] !== request.rows);
    if (short !== undefined) {
      throw new StratusError('INTERNAL', {
        detail: `model returned ${String(short.shape[0])} rows for a batch of ${request.rows}`,
      });
    }
    return rowPredictions(this.signature, { rows: request.rows, outputs });
  }
}

/**
 * Load the bundle at `uri` for batch prediction, on the same load and warm-up
 * path as the online predictor (`ModelRunner.load`). The process's tfjs
 * backend is the caller's choice (`selectBackend`), as it is the predictor's.
 * A `signatureName` other than the one the model serves is
 * INVALID_PREDICT_REQUEST naming it.
 */
export const openBatchModel = async (options: OpenBatchModelOptions): Promise<BatchModel> => {
  const { signatureName } = options;
  if (signatureName !== undefined && signatureName !== SERVING_SIGNATURE) {
    throw new StratusError('INVALID_PREDICT_REQUEST', {
      detail: `signatureName: the model has no signature "${signatureName}"; it serves "${SERVING_SIGNATURE}"`,
    });
  }
  const runner = new ModelRunner(options.storage, {
    maxModelParams: options.maxModelParams,
    onnxThreads: options.onnxThreads ?? 1,
  });
  const { signature } = await runner.load(MODEL_KEY, options.uri, options.runtime);
  return new RunnerBatchModel(runner, signature, options.uri);
};
