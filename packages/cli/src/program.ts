import { Command } from 'commander';
import type { RunState } from './command-kit.js';
import { registerAuth } from './commands/auth.js';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerJobs } from './commands/jobs.js';
import { registerLocal } from './commands/local.js';
import { registerModels } from './commands/models.js';
import { registerOperations } from './commands/operations.js';
import { registerPredict } from './commands/predict.js';
import { registerServers } from './commands/servers.js';
import { registerStorage } from './commands/storage.js';
import { registerVersions } from './commands/versions.js';
import type { CliIo } from './io.js';
import { CLI_VERSION } from './version.js';

/**
 * Command groups in the order `stratus --help` lists them. Each is a
 * `register(program, state)` in commands/.
 */
const GROUPS: ReadonlyArray<(program: Command, state: RunState) => void> = [
  registerJobs,
  registerModels,
  registerVersions,
  registerOperations,
  registerPredict,
  registerLocal,
  registerStorage,
  registerConfig,
  registerAuth,
  registerServers,
  registerCompletion,
];

/**
 * The `stratus` command tree. Definitions only: every action imports its
 * implementation when it runs. Output goes to `io`; commander never exits
 * the process (errors are thrown to `main`).
 */
export const buildProgram = (io: Pick<CliIo, 'stdout' | 'stderr'>, state: RunState): Command => {
  const program = new Command('stratus')
    .description(
      'Stratus: training jobs, hyperparameter tuning and prediction with TensorFlow.js, shaped like gcloud ai-platform',
    )
    .version(CLI_VERSION, '-v, --version')
    .option('--project <id>', 'project to act on (overrides STRATUS_PROJECT and the config file)')
    .option('--api-url <url>', 'API server (overrides STRATUS_API_URL and the config file)')
    .option(
      '--format <format>',
      'json, yaml, table, table(FIELD,...), value(FIELD,...) or csv[no-heading](FIELD,...)',
    )
    .option(
      '-q, --quiet',
      'no prompts (the default answer is taken), no status messages or progress bars on stderr',
    )
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // main prints commander's errors itself, naming the command, in one line.
      outputError: () => undefined,
    });
  for (const register of GROUPS) register(program, state);
  return program;
};
