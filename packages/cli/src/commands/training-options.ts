import type { Command } from 'commander';
import {
  parseIntegerFlag,
  parseIntegerListFlag,
  parseKeyValuesFlag,
  parseListFlag,
  parseNumberFlag,
} from '../option-parsers.js';

/** The flags `jobs submit training` and `local train` share (gcloud's, plus built-in settings). */
export const addTrainingOptions = (command: Command): Command =>
  command
    .option(
      '--config <file>',
      'YAML or JSON job config: {trainingInput: {...}} or the trainingInput itself; flags override it',
    )
    .option(
      '--job-dir <uri>',
      'directory for checkpoints and the exported model: gs://, or a local path for local train',
    )
    .option(
      '--staging-bucket <uri>',
      'gs:// base of the job directory when --job-dir is not given: {staging-bucket}/{JOB}',
    )
    .option('--region <region>', 'region label recorded on the job (default: local)')
    .option(
      '--scale-tier <tier>',
      'BASIC, STANDARD_1 or PREMIUM_1 (CPU queue), BASIC_GPU (GPU queue), CUSTOM (by machine); BASIC_TPU is refused',
    )
    .option(
      '--master-machine-type <type>',
      'with --scale-tier CUSTOM: machine type, e.g. n1-standard-8 (CPU) or standard_gpu (GPU)',
    )
    .option(
      '--master-accelerator <spec>',
      'with --scale-tier CUSTOM: count=N,type=NVIDIA_TESLA_T4',
      parseKeyValuesFlag,
    )
    .option(
      '--runtime-version <version>',
      'Cloud ML runtime version recorded on the job: 2.1 to 2.11',
    )
    .option('--python-version <version>', 'Python version recorded on the job: 3.7')
    .option(
      '--module-name <name>',
      'custom trainer: dotted module (trainer.task → trainer/task.{mjs,js,cjs}) or file path in the package',
    )
    .option(
      '--packages <uris>',
      'custom trainer: comma list of gs:// npm pack tarballs',
      parseListFlag,
    )
    .option(
      '--package-path <dir>',
      'custom trainer: directory to npm pack and upload to {jobDir}/packages/',
    )
    .option('--labels <k=v,...>', 'labels to set on the job (repeatable)', parseKeyValuesFlag)
    .option('--builtin-algorithm <name>', 'built-in trainer, e.g. dnn_classifier')
    .option('--training-data <uri>', 'built-in: CSV, JSON Lines or image folder')
    .option('--validation-data <uri>', 'built-in: held-out data (else --validation-split)')
    .option('--label-column <column>', 'built-in: the column to predict')
    .option(
      '--feature-columns <a,b,...>',
      'built-in: input columns (default: all but the label)',
      parseListFlag,
    )
    .option('--validation-split <fraction>', 'built-in: share of rows held out', parseNumberFlag)
    .option('--epochs <n>', 'built-in: training epochs', parseIntegerFlag)
    .option('--batch-size <n>', 'built-in: batch size', parseIntegerFlag)
    .option('--learning-rate <x>', 'built-in: learning rate', parseNumberFlag)
    .option(
      '--hidden-units <n,n,...>',
      'built-in DNN: units per hidden layer',
      parseIntegerListFlag,
    )
    .option('--dropout <x>', 'built-in DNN: dropout rate', parseNumberFlag)
    .option('--optimizer <name>', 'built-in: adam, sgd, rmsprop or adagrad')
    .option('--l2 <x>', 'built-in: L2 regularisation', parseNumberFlag)
    .option('--seed <n>', 'built-in: random seed', parseIntegerFlag);
