// bench/asha: ASHA early stopping on real learning curves. A dnn_classifier sweep
// (784-256-128-10, Adam, batch 64) on the MNIST CSV bench/train uses, over learning rates
// log-spaced from 1e-5 to 0.3 (the ends too small or too large to learn well), run twice on
// the same seeds, one trial after another:
//   (a) full: every trial trains all its epochs;
//   (b) asha: after each epoch the trial's val_accuracy goes to `ashaDecision` (the rule the
//       worker applies) against the earlier trials' curves; a stop ends training through the
//       trial's stop signal, as in a worker.
// Reports the best val_accuracy reached and the total epochs trained by each.
//   npm run bench:asha   (BENCH_TRIALS=9, BENCH_EPOCHS=9, BENCH_ROWS=10000, BENCH_MIN_STEPS=1,
//                         BENCH_REDUCTION=3)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStorage } from '@stratus/storage';
import { DatasetCache, runTrial, selectTrainingBackend } from '@stratus/trainer';
import { ashaDecision, type AshaOptions, type IntermediateValue } from '@stratus/tuner';
import { mnistCsv } from './mnist-rows.js';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 9);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 9);
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const ASHA: AshaOptions = {
  minSteps: Number(process.env.BENCH_MIN_STEPS ?? 1),
  reductionFactor: Number(process.env.BENCH_REDUCTION ?? 3),
  maxSteps: EPOCHS,
};
const METRIC = 'val_accuracy';

/** TRIALS learning rates, log-spaced over [1e-5, 0.3], in a shuffled but fixed order. */
const learningRates = (): number[] => {
  const rates = Array.from({ length: TRIALS }, (_, i) =>
    Number((1e-5 * (0.3 / 1e-5) ** (TRIALS === 1 ? 0.5 : i / (TRIALS - 1))).toPrecision(3)),
  );
  // Visit them with a stride coprime to TRIALS (ends and middle interleaved, as a search would).
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = 4;
  while (gcd(stride, TRIALS) !== 1) stride += 1;
  return rates.map((_, i) => rates[(i * stride) % TRIALS] as number);
};

interface SweepResult {
  readonly curves: IntermediateValue[][];
  readonly epochs: number;
  readonly best: number;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'stratus-bench-asha-'));
  const storage = createLocalStorage({ root: join(root, 'buckets') });
  await storage.write('gs://bench/mnist.csv', mnistCsv(ROWS));
  const backend = await selectTrainingBackend(
    (process.env.STRATUS_TFJS_BACKEND ?? 'wasm') as 'wasm',
  );
  const cache = new DatasetCache({ dir: join(root, 'cache') });
  const rates = learningRates();

  const sweep = async (name: string, asha: AshaOptions | undefined): Promise<SweepResult> => {
    const curves: IntermediateValue[][] = [];
    let epochs = 0;
    let best = -Infinity;
    for (const [index, rate] of rates.entries()) {
      const curve: IntermediateValue[] = [];
      const others = curves.map((intermediate) => ({ intermediate }));
      const stop = new AbortController();
      const result = await runTrial(
        {
          jobId: `asha-${name}`,
          trialId: String(index + 1),
          tuning: true,
          hyperparameters: { learningRate: String(rate) },
          hyperparameterMetricTag: METRIC,
          trainingInput: {
            jobDir: `gs://bench/jobs/${name}`,
            builtinAlgorithm: {
              name: 'dnn_classifier',
              trainingData: 'gs://bench/mnist.csv',
              labelColumn: 'digit',
              hiddenUnits: [256, 128],
              epochs: EPOCHS,
              batchSize: 64,
              validationSplit: 0.2,
              seed: 1,
            },
          },
        },
        {
          storage,
          cache,
          workRoot: join(root, 'work'),
          maxModelParams: 100_000_000,
          backend,
          parentEnv: {},
          stopSignal: stop.signal,
          reporter: {
            log: () => undefined,
            progress: () => undefined,
            metrics: (step, values) => {
              const value = values[METRIC];
              if (value === undefined || stop.signal.aborted) return;
              curve.push({ step, value });
              if (asha === undefined) return;
              const decision = ashaDecision({
                goal: 'MAXIMIZE',
                options: asha,
                trial: { intermediate: curve },
                others,
              });
              if (decision.stop) stop.abort(decision.reason);
            },
          },
        },
      );
      curves.push(curve);
      epochs += result.epochs;
      best = Math.max(best, result.objective ?? -Infinity);
      console.log(
        `${name} trial ${index + 1} learningRate ${rate}: ${result.epochs} epochs, ${METRIC} ` +
          `${(result.objective ?? Number.NaN).toFixed(4)}${result.stoppedEarly === true ? ' (stopped)' : ''}`,
      );
    }
    return { curves, epochs, best };
  };

  const full = await sweep('full', undefined);
  const asha = await sweep('asha', ASHA);
  console.log(
    `\n${TRIALS} trials x ${EPOCHS} epochs on ${ROWS} MNIST rows (${backend.name}), ` +
      `ASHA minSteps ${ASHA.minSteps}, reductionFactor ${ASHA.reductionFactor}`,
  );
  console.log('run   best val_accuracy  epochs trained');
  for (const [name, run] of [
    ['full', full],
    ['asha', asha],
  ] as const) {
    console.log(
      `${name.padEnd(5)} ${run.best.toFixed(4).padStart(17)}  ${String(run.epochs).padStart(14)}`,
    );
  }
  console.log(
    `asha: ${((100 * asha.epochs) / full.epochs).toFixed(0)}% of the epochs, best ` +
      `${(100 * (asha.best - full.best)).toFixed(2)} points from the full sweep`,
  );
  await rm(root, { recursive: true, force: true });
}

await main();
