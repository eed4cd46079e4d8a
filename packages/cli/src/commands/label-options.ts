import type { Command } from 'commander';
import { parseKeyValuesFlag, parseListFlag } from '../option-parsers.js';

/** gcloud's label flags of an `update` command: merge, remove, clear (applied in that order: clear, remove, update). */
export const withLabelUpdateOptions = (command: Command): Command =>
  command
    .option(
      '--update-labels <k=v,...>',
      'add or change these labels (repeatable)',
      parseKeyValuesFlag,
    )
    .option(
      '--remove-labels <k,...>',
      'remove the labels with these keys (repeatable)',
      (raw: string, previous: string[] | undefined) => [...(previous ?? []), ...parseListFlag(raw)],
    )
    .option('--clear-labels', 'remove every label (then --update-labels adds its own)');
