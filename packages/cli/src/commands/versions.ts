import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';
import {
  parseCountFlag,
  parseKeyValuesFlag,
  parseNumberFlag,
  parsePositiveFlag,
} from '../option-parsers.js';
import { withLabelUpdateOptions } from './label-options.js';
import { addListOptions } from './list-options.js';

/** `stratus versions …`: deploy models (from a bundle or a training job) and manage them. */
export const registerVersions = (program: Command, state: RunState): void => {
  const versions = program
    .command('versions')
    .description('Deploy model versions and manage them (all take --model)');
  const load = () => import('../actions/versions.js');

  withExamples(
    versions
      .command('create')
      .description(
        'Deploy a version from a model bundle (--origin), a training job (--from-job) or a Cloud ML Version file (--config); waits until it is READY',
      )
      .argument('<version>', 'version id: a letter, then letters, digits or _')
      .requiredOption('--model <model>', 'the model to deploy into')
      .option(
        '--origin <uri>',
        'a model bundle directory (gs://…/model) holding model.json or model.onnx',
      )
      .option(
        '--framework <name>',
        'TENSORFLOW_JS (default) or ONNX: a bundle holding model.onnx, run on ONNX Runtime',
      )
      .option('--from-job <job>', "a training job's model: its best trial unless --trial")
      .option(
        '--config <file>',
        'a Cloud ML Version as YAML or JSON (deploymentUri, runtimeVersion, machineType, autoScaling, …); flags override it',
      )
      .option('--trial <n>', 'with --from-job: this trial of a tuning job', parsePositiveFlag)
      .option('--description <text>', 'free text shown by describe')
      .option('--labels <k=v,...>', 'labels to attach (repeatable)', parseKeyValuesFlag)
      .option('--runtime-version <version>', 'recorded with the version, as in Cloud ML')
      .option(
        '--machine-type <type>',
        'recorded replica-sizing hint: mls1-c1-m2, mls1-c4-m2, n1-standard-4, … (docs/operations.md)',
      )
      .option('--max-batch-size <n>', 'dynamic batching: rows per model call', parsePositiveFlag)
      .option(
        '--max-latency-ms <ms>',
        'dynamic batching: how long a batch waits to fill',
        parseNumberFlag,
      )
      .option('--async', 'return the operation at once instead of waiting until READY')
      .option(
        '--timeout <seconds>',
        'give up waiting after this long (default 600)',
        parsePositiveFlag,
      )
      .action(
        lazyAction(
          state,
          async () => (await import('../actions/versions-create.js')).createVersion,
        ),
      ),
    [
      'stratus versions create v1 --model iris --from-job iris_1',
      'stratus versions create v2 --model iris --from-job tuned_1 --trial 3 --async',
      'stratus versions create v3 --model iris --origin gs://demo/jobs/iris_1/model',
      'stratus versions create v4 --model flowers --origin gs://demo/torch/flowers --framework onnx',
      'stratus versions create v5 --model iris --config version.yaml',
    ],
  );

  withExamples(
    addListOptions(
      versions
        .command('list')
        .description("List a model's versions with their state; * marks the default")
        .requiredOption('--model <model>', 'the model'),
      'versions',
      'state=READY',
    ).action(lazyAction(state, async () => (await load()).listVersions)),
    [
      'stratus versions list --model iris',
      "stratus versions list --model iris --format 'value(name,state)'",
      "stratus versions list --model iris --sort-by ~createTime --format 'csv[no-heading](name,state)'",
    ],
  );

  withExamples(
    versions
      .command('describe')
      .description('Show a version: state, source, error message if it FAILED')
      .argument('<version>', 'version id')
      .requiredOption('--model <model>', 'the model')
      .action(lazyAction(state, async () => (await load()).describeVersion)),
    ['stratus versions describe v1 --model iris'],
  );

  withExamples(
    versions
      .command('set-default')
      .description('Make a READY version the one `predict` uses when --version is not given')
      .argument('<version>', 'version id')
      .requiredOption('--model <model>', 'the model')
      .action(lazyAction(state, async () => (await load()).setDefaultVersion)),
    ['stratus versions set-default v2 --model iris'],
  );

  withExamples(
    withLabelUpdateOptions(
      versions
        .command('update')
        .description("Change a version's description, labels or replica hint (sent with its etag)")
        .argument('<version>', 'version id')
        .requiredOption('--model <model>', 'the model')
        .option('--description <text>', 'the new description')
        .option('--min-nodes <n>', 'autoScaling.minNodes: the fewest replicas', parseCountFlag)
        .option('--nodes <n>', 'manualScaling.nodes: a fixed number of replicas', parseCountFlag),
    ).action(
      lazyAction(state, async () => (await import('../actions/resource-updates.js')).updateVersion),
    ),
    [
      'stratus versions update v1 --model iris --description "first deploy"',
      'stratus versions update v1 --model iris --min-nodes 2',
      'stratus versions update v1 --model iris --update-labels stage=prod',
    ],
  );

  withExamples(
    versions
      .command('delete')
      .description(
        'Delete a version (the default only once it is the last one); predictors unload it',
      )
      .argument('<version>', 'version id')
      .requiredOption('--model <model>', 'the model')
      .action(lazyAction(state, async () => (await load()).deleteVersion)),
    ['stratus versions delete v1 --model iris'],
  );
};
