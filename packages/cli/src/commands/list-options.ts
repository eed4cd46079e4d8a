import type { Command } from 'commander';
import { parsePositiveFlag } from '../option-parsers.js';
import { parseSortByFlag } from '../output/sort-by.js';

/** `--sort-by` and `--limit`: every list has them, paged by the server or not. */
export const addSortLimitOptions = (command: Command, noun: string): Command =>
  command
    .option(
      '--sort-by <fields>',
      'sort by these fields (comma list or repeated; ~FIELD descending)',
      parseSortByFlag,
    )
    .option('--limit <n>', `at most this many ${noun}, after --sort-by`, parsePositiveFlag);

/**
 * The flags of every paged list, as gcloud's: `--filter` (sent to the
 * server), `--limit`, `--page-size`, `--sort-by`, `--uri`.
 */
export const addListOptions = (command: Command, noun: string, filterExample: string): Command =>
  addSortLimitOptions(
    command.option(
      '--filter <expr>',
      `an AIP-160 filter the server applies (AND, OR, NOT, parentheses, = != < <= > >=, : with * prefix), e.g. ${filterExample}`,
    ),
    noun,
  )
    .option('--page-size <n>', `${noun} fetched per request (1-100; default 20)`, parsePositiveFlag)
    .option('--uri', "print each resource's REST URL, one a line, instead of the resources");
