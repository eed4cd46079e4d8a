import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';

/** `stratus predict`: online prediction on a deployed version. */
export const registerPredict = (program: Command, state: RunState): void => {
  withExamples(
    program
      .command('predict')
      .description('Online prediction with a deployed model (its default version unless --version)')
      .requiredOption('--model <model>', 'the model')
      .option('--version <version>', 'a version of the model (default: its default version)')
      .option('--json-instances <file>', 'newline-delimited JSON instances; - reads stdin')
      .option('--json-request <file>', 'a JSON body {"instances": [...]}')
      .option('--signature-name <name>', 'the signature to call, for models with several')
      .action(lazyAction(state, async () => (await import('../actions/predict.js')).predict)),
    [
      'stratus predict --model iris --json-instances instances.jsonl',
      'stratus predict --model iris --version v2 --json-request request.json --format json',
      'echo \'{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}\' | stratus predict --model iris --json-instances -',
    ],
  );
};
