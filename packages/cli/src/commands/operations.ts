import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';
import { parsePositiveFlag } from '../option-parsers.js';
import { addListOptions } from './list-options.js';

/** `stratus operations …`: the long-running operations of version deploys, updates and deletes. */
export const registerOperations = (program: Command, state: RunState): void => {
  const operations = program
    .command('operations')
    .description('Follow and cancel long-running operations (version deploys, updates, deletes)');
  const load = () => import('../actions/operations.js');

  withExamples(
    addListOptions(
      operations.command('list').description("List the project's operations, newest first"),
      'operations',
      'done=false',
    ).action(lazyAction(state, async () => (await load()).listOperations)),
    ['stratus operations list --filter done=false', 'stratus operations list --limit 5'],
  );

  withExamples(
    operations
      .command('describe')
      .description('Show an operation: done, and its error or response once done')
      .argument('<operation>', 'operation id, or its full name projects/P/operations/OP')
      .action(lazyAction(state, async () => (await load()).describeOperation)),
    ['stratus operations describe create_iris_v1-1714564800000-ab12'],
  );

  withExamples(
    operations
      .command('cancel')
      .description(
        'Cancel an operation: a version deploy not yet done ends FAILED (error CANCELLED); a done one is left as it is',
      )
      .argument('<operation>', 'operation id, or its full name')
      .action(lazyAction(state, async () => (await load()).cancelOperation)),
    ['stratus operations cancel create_iris_v1-1714564800000-ab12'],
  );

  withExamples(
    operations
      .command('wait')
      .description('Wait until an operation is done and print it; exit 1 if it ended with an error')
      .argument('<operation>', 'operation id, or its full name')
      .option('--timeout <seconds>', 'give up after this long (default 300)', parsePositiveFlag)
      .action(lazyAction(state, async () => (await load()).waitOperation)),
    ['stratus operations wait create_iris_v1-1714564800000-ab12 --timeout 120'],
  );
};
