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
    .option('--region <region>', 'region label recorded on the job (default: local)')
    .option('--scale-tier <tier>', 'BASIC (CPU), BASIC_GPU or CUSTOM')
    .option(
      '--master-accelerator <spec>',
      'with --scale-tier CUSTOM: count=N,type=NVIDIA_TESLA_T4',
      parseKeyValuesFlag,
    )
    .option('--module-name <path>', 'custom trainer: file to run, relative to the package root')
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
