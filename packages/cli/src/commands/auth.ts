import { Option, type Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';
import { addSortLimitOptions } from './list-options.js';

/** `stratus auth tokens …` (admin): API tokens scoped to a project and a role. */
export const registerAuth = (program: Command, state: RunState): void => {
  const tokens = program
    .command('auth')
    .description('Access to the API')
    .command('tokens')
    .description('API tokens (admin only): one project (or all) and a role');
  const load = () => import('../actions/auth-tokens.js');

  withExamples(
    tokens
      .command('create')
      .description('Create a token for --project (or every project); the secret is printed once')
      .addOption(
        new Option('--role <role>', 'what it may do')
          .choices(['viewer', 'editor', 'admin'])
          .makeOptionMandatory(),
      )
      .option('--all-projects', 'grant every project (*), admins only')
      .option('--description <text>', 'a note to recognise it by')
      .action(lazyAction(state, async () => (await load()).tokensCreate)),
    ['stratus auth tokens create --project demo --role editor --description "CI"'],
  );
  withExamples(
    addSortLimitOptions(
      tokens.command('list').description('List tokens (never their secrets)'),
      'tokens',
    ).action(lazyAction(state, async () => (await load()).tokensList)),
    ['stratus auth tokens list', 'stratus auth tokens list --sort-by ~createTime --limit 5'],
  );
  withExamples(
    tokens
      .command('revoke')
      .description('Revoke a token')
      .argument('<tokenId>', 'the id `tokens list` shows')
      .action(lazyAction(state, async () => (await load()).tokensRevoke)),
    ['stratus auth tokens revoke tok_123'],
  );
};
