import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';
import { addListOptions } from './list-options.js';
import { withLabelUpdateOptions } from './label-options.js';
import { addPredictionOptions } from './prediction-options.js';
import { addTrainingOptions } from './training-options.js';

/** `stratus jobs …`: submit, describe, list, cancel and follow training and batch prediction jobs. */
export const registerJobs = (program: Command, state: RunState): void => {
  const jobs = program
    .command('jobs')
    .description('Submit and manage training and batch prediction jobs');

  const submit = jobs.command('submit').description('Submit a job');
  withExamples(
    addTrainingOptions(
      submit
        .command('training')
        .description(
          'Submit a training job: --config and flags (flags win), validated before it is sent',
        )
        .argument('<job>', 'job id: a letter, then letters, digits or _')
        .argument('[userArgs...]', 'after --: arguments for a custom trainer module'),
    )
      .option(
        '--stream-logs',
        'follow logs and metrics until the job ends; exit 0 only if it SUCCEEDED',
      )
      .option('--async', 'return once the job is submitted (the default)')
      .action(
        lazyAction(state, async () => (await import('../actions/jobs-submit.js')).submitTraining),
      ),
    [
      'stratus jobs submit training iris_1 --job-dir gs://demo/jobs/iris_1 --builtin-algorithm dnn_classifier --training-data gs://demo/data/iris.csv --label-column species --epochs 40 --stream-logs',
      'stratus jobs submit training tuned_1 --config job.yaml --labels team=demo',
      'stratus jobs submit training custom_1 --job-dir gs://demo/jobs/custom_1 --package-path examples/custom-trainer --module-name trainer.task -- --epochs=20',
    ],
  );

  withExamples(
    addPredictionOptions(
      submit
        .command('prediction')
        .description(
          'Submit a batch prediction job: score gs:// files with a model, results to --output-path',
        )
        .argument('<job>', 'job id: a letter, then letters, digits or _'),
    )
      .option('--stream-logs', 'show progress until the job ends; exit 0 only if it SUCCEEDED')
      .option('--async', 'return once the job is submitted (the default)')
      .action(
        lazyAction(
          state,
          async () => (await import('../actions/jobs-submit-prediction.js')).submitPrediction,
        ),
      ),
    [
      "stratus jobs submit prediction score_1 --model iris --input-paths 'gs://demo/batch/in/*.jsonl' --output-path gs://demo/batch/out/ --data-format JSON --region local --stream-logs",
      'stratus jobs submit prediction score_csv --model iris --version v1 --input-paths gs://demo/batch/rows.csv --output-path gs://demo/batch/csv-out/ --data-format CSV --output-data-format CSV --key-field id --region local',
      'stratus jobs submit prediction score_dir --model-dir gs://demo/jobs/iris_1/model --input-paths gs://demo/batch/in/part-0.jsonl --output-path gs://demo/batch/out2/ --data-format JSON --region local --max-error-rate 0.01',
    ],
  );

  withExamples(
    jobs
      .command('describe')
      .description('Show a job; --summarize prints an overview and its trials, best first')
      .argument('<job>', 'job id')
      .option('--summarize', 'overview and hyperparameter trials table sorted by objective')
      .action(
        lazyAction(state, async () => (await import('../actions/jobs-manage.js')).describeJob),
      ),
    [
      'stratus jobs describe iris_1',
      'stratus jobs describe tuned_1 --summarize',
      'stratus jobs describe iris_1 --format json',
    ],
  );

  withExamples(
    addListOptions(
      jobs.command('list').description('List jobs, newest first'),
      'jobs',
      '"jobId:rnn* AND state=FAILED"',
    ).action(lazyAction(state, async () => (await import('../actions/jobs-manage.js')).listJobs)),
    [
      'stratus jobs list --filter state=RUNNING --limit 10',
      "stratus jobs list --format 'value(jobId,state)'",
      "stratus jobs list --sort-by ~createTime --limit 5 --format 'csv(jobId,state,createTime)'",
      'stratus jobs list --uri',
    ],
  );

  withExamples(
    withLabelUpdateOptions(
      jobs
        .command('update')
        .description("Change a job's labels (sent with its etag: a concurrent change is a 409)")
        .argument('<job>', 'job id'),
    ).action(
      lazyAction(state, async () => (await import('../actions/resource-updates.js')).updateJob),
    ),
    [
      'stratus jobs update iris_1 --update-labels team=vision,stage=prod',
      'stratus jobs update iris_1 --remove-labels stage',
      'stratus jobs update iris_1 --clear-labels',
    ],
  );

  withExamples(
    jobs
      .command('cancel')
      .description('Cancel a job: queued trials are dropped, running ones stopped')
      .argument('<job>', 'job id')
      .action(lazyAction(state, async () => (await import('../actions/jobs-manage.js')).cancelJob)),
    ['stratus jobs cancel iris_1'],
  );

  withExamples(
    jobs
      .command('stream-logs')
      .description(
        "Follow a job's logs and per-epoch metrics (a batch prediction job: its progress) until it ends; exit 0 only if it SUCCEEDED",
      )
      .argument('<job>', 'job id')
      .option('--trial <n>', 'only this trial')
      .action(
        lazyAction(state, async () => (await import('../actions/jobs-manage.js')).streamLogs),
      ),
    [
      'stratus jobs stream-logs tuned_1 --trial 3',
      'stratus jobs stream-logs iris_1 --format json',
      'stratus jobs stream-logs score_1',
    ],
  );
};
