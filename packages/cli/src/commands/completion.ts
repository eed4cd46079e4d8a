import type { Command } from 'commander';
import { lazyAction, withExamples, type RunState } from '../command-kit.js';

/** `stratus completion bash|zsh`. */
export const registerCompletion = (program: Command, state: RunState): void => {
  withExamples(
    program
      .command('completion')
      .description('Print a shell completion script (bash or zsh)')
      .argument('<shell>', 'bash or zsh')
      .action(
        lazyAction(state, async () =>
          (await import('../actions/completion.js')).completionFor(program),
        ),
      ),
    [
      'stratus completion bash > ~/.local/share/bash-completion/completions/stratus',
      'source <(stratus completion bash)',
      "echo 'source <(stratus completion zsh)' >> ~/.zshrc",
    ],
  );
};
