import { Option, type Command } from 'commander';
import {
  choiceFlag,
  parseFractionFlag,
  parseKeyValuesFlag,
  parseListFlag,
  parsePositiveFlag,
} from '../option-parsers.js';

/** The flags of `jobs submit prediction` (gcloud's `ai-platform jobs submit prediction`, plus Stratus'). */
export const addPredictionOptions = (command: Command): Command =>
  command
    .option('--model <model>', 'the model; its default version serves unless --version')
    .option('--version <version>', 'with --model: this version of it')
    .option(
      '--model-dir <uri>',
      'gs:// directory of a model bundle that is not deployed (instead of --model)',
    )
    .requiredOption(
      '--input-paths <uris>',
      'comma list of gs:// input objects; * matches within a path segment',
      parseListFlag,
    )
    .requiredOption('--output-path <uri>', 'gs:// directory the results and errors are written to')
    .addOption(
      new Option('--data-format <format>', 'input format: JSON (JSON Lines), TEXT or CSV')
        .argParser(
          choiceFlag(['JSON', 'TEXT', 'CSV', 'TF_RECORD', 'TF_RECORD_GZIP'], 'JSON, TEXT or CSV'),
        )
        .makeOptionMandatory(),
    )
    .requiredOption('--region <region>', 'region label recorded on the job, e.g. local')
    .option(
      '--output-data-format <format>',
      'results format: JSON (default) or CSV',
      choiceFlag(['JSON', 'CSV'], 'JSON or CSV'),
    )
    .option('--batch-size <n>', 'instances per model call (default 64)', parsePositiveFlag)
    .option('--max-worker-count <n>', 'at most this many shards at once', parsePositiveFlag)
    .option('--signature-name <name>', "the model's signature to call")
    .option('--runtime-version <version>', 'runtime version recorded on the job')
    .option(
      '--key-field <field>',
      'JSON field or CSV column copied to each output record, not sent to the model (default key)',
    )
    .option('--resume', 'skip the shards whose results are already in --output-path')
    .option(
      '--max-error-rate <x>',
      "the job FAILS when more than this share of rows are errors (default: the server's, 0.1)",
      parseFractionFlag,
    )
    .option('--labels <k=v,...>', 'labels to set on the job (repeatable)', parseKeyValuesFlag);
