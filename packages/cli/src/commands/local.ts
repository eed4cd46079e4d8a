import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';
import { parseKeyValuesFlag } from '../option-parsers.js';
import { addTrainingOptions } from './training-options.js';

/** `stratus local …`: train and predict on this machine, with no server and no Redis. */
export const registerLocal = (program: Command, state: RunState): void => {
  const local = program
    .command('local')
    .description('Train and predict on this machine, without a server');

  withExamples(
    addTrainingOptions(
      local
        .command('train')
        .description(
          'Run one trial of a job here; data and packages from local paths or gs://, the model to --job-dir',
        )
        .argument('[userArgs...]', 'after --: arguments for a custom trainer module'),
    )
      .option('--job-id <id>', 'job id the trial reports', 'local_train')
      .option(
        '--hyperparameters <k=v,...>',
        "the trial's hyperparameter values, as a tuner would set them",
        parseKeyValuesFlag,
      )
      .action(
        lazyAction(state, async () => (await import('../actions/local-train.js')).localTrain),
      ),
    [
      'stratus local train --builtin-algorithm dnn_classifier --training-data ./iris.csv --label-column species --epochs 20 --job-dir ./iris-out',
      'stratus local train --package-path examples/custom-trainer --module-name trainer/task.mjs --job-dir ./custom-out -- --epochs=5',
    ],
  );

  withExamples(
    local
      .command('predict')
      .description('Predict with a model bundle (local directory or gs://) in this process')
      .requiredOption(
        '--model-dir <dir>',
        'model bundle: a directory with model.json (local path or gs://)',
      )
      .option('--json-instances <file>', 'newline-delimited JSON instances; - reads stdin')
      .option('--json-request <file>', 'a JSON body {"instances": [...]}')
      .action(
        lazyAction(state, async () => (await import('../actions/local-predict.js')).localPredict),
      ),
    [
      'stratus local predict --model-dir ./iris-out/model --json-instances instances.jsonl',
      'echo \'{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}\' | stratus local predict --model-dir ./iris-out/model --json-instances -',
    ],
  );
};
