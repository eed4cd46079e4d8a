import { Option, type Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';
import { addSortLimitOptions } from './list-options.js';

/** `stratus storage …`: the bucket the environment configures (local home or GCS). */
export const registerStorage = (program: Command, state: RunState): void => {
  const storage = program
    .command('storage')
    .description(
      "Copy and list objects in the configured storage (STRATUS_STORAGE); claim and share the project's buckets",
    );

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

  const buckets = () => import('../actions/storage-buckets.js');
  withExamples(
    storage
      .command('mb')
      .description(
        'Claim a bucket for the project (idempotent); refused if another project owns it',
      )
      .argument('<bucket>', 'gs://BUCKET')
      .action(lazyAction(state, async () => (await buckets()).storageMb)),
    ['stratus storage mb gs://demo'],
  );
  withExamples(
    addSortLimitOptions(
      storage
        .command('ls-buckets')
        .description("List the project's buckets (with their grants) and those granted to it"),
      'buckets',
    ).action(lazyAction(state, async () => (await buckets()).storageLsBuckets)),
    [
      'stratus storage ls-buckets',
      'stratus --project beta storage ls-buckets --format json',
      "stratus storage ls-buckets --sort-by ~name --limit 3 --format 'value(name)'",
    ],
  );
  withExamples(
    storage
      .command('grant')
      .description('Let another project read (READER) or read and write (WRITER) a bucket you own')
      .argument('<bucket>', 'gs://BUCKET')
      .requiredOption('--grantee <project>', 'the project that gets access')
      .addOption(
        new Option('--role <role>', 'READER or WRITER')
          .choices(['READER', 'WRITER'])
          .makeOptionMandatory(),
      )
      .action(lazyAction(state, async () => (await buckets()).storageGrant)),
    ['stratus storage grant gs://demo --grantee beta --role READER'],
  );
  withExamples(
    storage
      .command('revoke')
      .description("Remove another project's access to a bucket you own")
      .argument('<bucket>', 'gs://BUCKET')
      .requiredOption('--grantee <project>', 'the project whose access goes')
      .action(lazyAction(state, async () => (await buckets()).storageRevoke)),
    ['stratus storage revoke gs://demo --grantee beta'],
  );
};
