import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';

/** `stratus storage …`: the bucket the environment configures (local home or GCS). */
export const registerStorage = (program: Command, state: RunState): void => {
  const storage = program
    .command('storage')
    .description('Copy and list objects in the configured storage (STRATUS_STORAGE)');

  withExamples(
    storage
      .command('cp')
      .description(
        'Copy local↔gs:// or gs://→gs://; -r copies SRC into DST/<name>/ (SRC/ copies its contents)',
      )
      .argument('<src>', 'local path or gs:// URI')
      .argument('<dst>', 'local path or gs:// URI; a trailing / means "into this folder"')
      .option('-r, --recursive', 'copy a directory or prefix')
      .action(lazyAction(state, async () => (await import('../actions/storage-cp.js')).storageCp)),
    [
      'stratus storage cp ./iris.csv gs://demo/data/iris.csv',
      'stratus storage cp -r gs://demo/jobs/iris_1/model ./iris-model',
    ],
  );

  withExamples(
    storage
      .command('ls')
      .description('List objects; folders end in / unless -r')
      .argument('<uri>', 'gs://bucket or gs://bucket/prefix')
      .option('-r, --recursive', 'every object under the prefix')
      .option('-l, --long', 'with size and update time')
      .action(lazyAction(state, async () => (await import('../actions/storage-ls.js')).storageLs)),
    ['stratus storage ls gs://demo/data', 'stratus storage ls -r -l gs://demo/jobs/iris_1'],
  );
};
