import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';
import { addListOptions } from './list-options.js';
import { withLabelUpdateOptions } from './label-options.js';
import { parseKeyValuesFlag } from '../option-parsers.js';

/** `stratus models …`: the models that versions are deployed under. */
export const registerModels = (program: Command, state: RunState): void => {
  const models = program.command('models').description('Create and manage models');
  const load = () => import('../actions/models.js');

  withExamples(
    models
      .command('create')
      .description('Create a model; deploy versions into it with `stratus versions create`')
      .argument('<model>', 'model id: a letter, then letters, digits or _')
      .option('--description <text>', 'free text shown by describe')
      .option('--labels <k=v,...>', 'labels to attach (repeatable)', parseKeyValuesFlag)
      .option('--regions <region>', 'informative, as in Cloud ML (one region)')
      .action(lazyAction(state, async () => (await load()).createModel)),
    ['stratus models create iris --description "Iris species" --labels team=demo'],
  );

  withExamples(
    addListOptions(
      models.command('list').description('List models with their default version, in name order'),
      'models',
      'labels.team=demo',
    ).action(lazyAction(state, async () => (await load()).listModels)),
    [
      'stratus models list',
      "stratus models list --format 'value(name,defaultVersion.name)'",
      'stratus models list --sort-by ~createTime --uri',
    ],
  );

  withExamples(
    models
      .command('describe')
      .description('Show a model, its default version embedded')
      .argument('<model>', 'model id')
      .action(lazyAction(state, async () => (await load()).describeModel)),
    ['stratus models describe iris', 'stratus models describe iris --format json'],
  );

  withExamples(
    withLabelUpdateOptions(
      models
        .command('update')
        .description("Change a model's description or labels (sent with its etag)")
        .argument('<model>', 'model id')
        .option('--description <text>', 'the new description'),
    ).action(
      lazyAction(state, async () => (await import('../actions/resource-updates.js')).updateModel),
    ),
    [
      'stratus models update iris --description "Iris species, v2 data"',
      'stratus models update iris --update-labels team=vision --remove-labels stage',
    ],
  );

  withExamples(
    models
      .command('delete')
      .description('Delete a model; its versions must be deleted first')
      .argument('<model>', 'model id')
      .action(lazyAction(state, async () => (await load()).deleteModel)),
    ['stratus models delete iris'],
  );
};
