import type { Command } from 'commander';
import { parsePositiveFlag } from '../option-parsers.js';
import { parseSortByFlag } from '../output/sort-by.js';

/**
 * The flags of every paged list, as gcloud's: `--filter` (sent to the
 * server), `--limit`, `--page-size`, `--sort-by`, `--uri`.
 */
export const addListOptions = (command: Command, noun: string, filterExample: string): Command =>
  command
    .option('--filter <expr>', `sent to the server, e.g. ${filterExample}`)
    .option(
      '--limit <n>',
      `at most this many ${noun} (after --sort-by; without it, stop fetching once reached)`,
      parsePositiveFlag,
    )
    .option('--page-size <n>', `${noun} fetched per request`, parsePositiveFlag)
    .option(
      '--sort-by <fields>',
      'sort by these fields (comma list or repeated; ~FIELD descending)',
      parseSortByFlag,
    )
    .option('--uri', "print each resource's REST URL, one a line, instead of the resources");
