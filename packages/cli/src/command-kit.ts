import type { Command } from 'commander';
import type { ActionHandler, CommandContext, GlobalOptions } from './context.js';

/** Per-run state shared by the program's actions and `main`. */
export interface RunState {
  /** Builds the context for an action, once the command is known. */
  readonly makeContext: (commandId: string, globals: GlobalOptions) => CommandContext;
  /** The command that ran (or was being parsed), for error lines. */
  commandId: string;
  exitCode: number;
}

const examples = new WeakMap<Command, readonly string[]>();

/** `stratus.jobs.submit.training` for a command. */
export const commandIdOf = (command: Command): string => {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent) {
    names.unshift(current.name());
  }
  return names.join('.');
};

/** Attach paste-able examples: shown after `--help` and in docs/cli.md. */
export const withExamples = (command: Command, lines: readonly string[]): Command => {
  examples.set(command, lines);
  return command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
};

/** The examples of a command (for the docs generator). */
export const examplesOf = (command: Command): readonly string[] => examples.get(command) ?? [];

/**
 * A commander action that imports its implementation on first use, so
 * starting the CLI loads only the command definitions (fast `--help`).
 */
export const lazyAction =
  <O>(state: RunState, load: () => Promise<ActionHandler<O>>) =>
  async (...params: unknown[]): Promise<void> => {
    const command = params[params.length - 1] as Command;
    const commandId = commandIdOf(command);
    state.commandId = commandId;
    const ctx = state.makeContext(commandId, command.optsWithGlobals<GlobalOptions>());
    try {
      const handler = await load();
      const code = await handler(
        ctx,
        command.processedArgs as unknown[],
        command.opts<O & object>(),
      );
      state.exitCode = code ?? 0;
    } finally {
      await ctx.session.close();
    }
  };
