import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';

/** `stratus config …`: api-url, project and token in ~/.config/stratus/config.json. */
export const registerConfig = (program: Command, state: RunState): void => {
  const config = program
    .command('config')
    .description(
      'CLI settings (api-url, project, token) in $XDG_CONFIG_HOME/stratus/config.json; STRATUS_API_URL, STRATUS_PROJECT, STRATUS_TOKEN and flags override them',
    );
  const load = () => import('../actions/config-actions.js');

  withExamples(
    config
      .command('set')
      .description('Store a setting (the file is private: mode 0600)')
      .argument('<key>', 'api-url, project or token')
      .argument('<value>')
      .action(lazyAction(state, async () => (await load()).configSet)),
    ['stratus config set api-url http://127.0.0.1:8080', 'stratus config set project demo'],
  );
  withExamples(
    config
      .command('get')
      .description('Print the value in effect (flag > env > file > default)')
      .argument('<key>', 'api-url, project or token')
      .action(lazyAction(state, async () => (await load()).configGet)),
    ['stratus config get project'],
  );
  withExamples(
    config
      .command('list')
      .description('Every setting, its value in effect and where it came from')
      .option('--show-token', 'print the token instead of masking it')
      .action(lazyAction(state, async () => (await load()).configList)),
    ['stratus config list'],
  );
  withExamples(
    config
      .command('unset')
      .description('Remove a setting from the file')
      .argument('<key>', 'api-url, project or token')
      .action(lazyAction(state, async () => (await load()).configUnset)),
    ['stratus config unset token'],
  );
};
