import { tf } from '@stratus/bundle';

/** Examples in memory: `xs` `[n, ...inputShape]`, `ys` one-hot `[n, classes]` or `[n, 1]`. */
export interface TensorData {
  readonly kind: 'tensors';
  readonly xs: tf.Tensor;
  readonly ys: tf.Tensor;
  readonly count: number;
}

/** Examples streamed in batches of `{xs, ys}` (one pass per iteration). */
export interface StreamedData {
  readonly kind: 'dataset';
  readonly dataset: tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>;
  readonly count: number;
}

export type ExampleData = TensorData | StreamedData;

export type Task =
  | { readonly kind: 'classification' }
  /** Targets are standardised for training; metrics are reported in original units. */
  | { readonly kind: 'regression'; readonly std: number };

interface Totals {
  loss: number;
  correct: number;
  absError: number;
  squaredError: number;
  count: number;
}

const EVAL_BATCH = 1024;

/**
 * Loss and metrics of `model` on `data`, computed in one pass without keeping
 * predictions: `loss`, and `accuracy` or `mae` + `rmse` (original units).
 */
export async function evaluate(
  model: tf.LayersModel,
  data: ExampleData,
  task: Task,
): Promise<Record<string, number>> {
  const totals: Totals = { loss: 0, correct: 0, absError: 0, squaredError: 0, count: 0 };
  const addBatch = async (xs: tf.Tensor, ys: tf.Tensor): Promise<void> => {
    const sums = tf.tidy(() => {
      // One forward pass for the whole batch: `predict` would split it into batches of 32.
      const predictions = model.predictOnBatch(xs) as tf.Tensor;
      if (task.kind === 'classification') {
        const clipped = predictions.clipByValue(1e-7, 1 - 1e-7);
        const loss = ys.mul(clipped.log()).sum().neg();
        const correct = predictions.argMax(-1).equal(ys.argMax(-1)).sum();
        return tf.stack([loss, correct.cast('float32'), tf.scalar(0), tf.scalar(0)]);
      }
      const error = predictions.sub(ys);
      const squared = error.square().sum();
      return tf.stack([squared, tf.scalar(0), error.abs().sum(), squared]);
    });
    const [loss = 0, correct = 0, absError = 0, squaredError = 0] = await sums.data();
    sums.dispose();
    totals.loss += loss;
    totals.correct += correct;
    totals.absError += absError;
    totals.squaredError += squaredError;
    totals.count += xs.shape[0] ?? 0;
  };

  if (data.kind === 'tensors') {
    for (let start = 0; start < data.count; start += EVAL_BATCH) {
      const size = Math.min(EVAL_BATCH, data.count - start);
      const xs = data.xs.slice(start, size);
      const ys = data.ys.slice(start, size);
      await addBatch(xs, ys);
      tf.dispose([xs, ys]);
    }
  } else {
    const iterator = await data.dataset.iterator();
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      await addBatch(next.value.xs, next.value.ys);
      tf.dispose([next.value.xs, next.value.ys]);
    }
  }

  const n = Math.max(1, totals.count);
  if (task.kind === 'classification') {
    return { loss: totals.loss / n, accuracy: totals.correct / n };
  }
  return {
    loss: totals.loss / n,
    mae: (totals.absError / n) * task.std,
    rmse: Math.sqrt(totals.squaredError / n) * task.std,
  };
}
