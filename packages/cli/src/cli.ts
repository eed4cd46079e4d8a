import { CommanderError } from 'commander';
import { EXIT_OK, EXIT_USAGE } from './cli-errors.js';
import type { RunState } from './command-kit.js';
import { commandPathOf, protectOwnVersionFlag } from './command-path.js';
import type { CommandContext, GlobalOptions } from './context.js';
import type { CliIo } from './io.js';
import { parseFormat } from './output/format-spec.js';
import { Printer } from './output/printer.js';
import { colourEnabled, createStyle } from './output/style.js';
import { buildProgram } from './program.js';
import { reportError } from './report-error.js';
import { Session } from './session.js';

/**
 * Run the CLI: parse `argv` (the words after `stratus`), run the command,
 * and return the exit status — 0 ok, 1 error, 2 usage. Never exits the
 * process and never prints a stack trace, so tests call it in-process.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const state: RunState = {
    commandId: 'stratus',
    exitCode: EXIT_OK,
    makeContext: (commandId: string, globals: GlobalOptions): CommandContext => {
      const format = globals.format === undefined ? undefined : parseFormat(globals.format);
      const style = createStyle(colourEnabled(io.stdout, io.env));
      return {
        io,
        commandId,
        globals,
        printer: new Printer(io, format, globals.quiet === true, style),
        session: new Session(io, globals),
        argv,
      };
    },
  };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(protectOwnVersionFlag(program, argv), { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; a group without its subcommand shows help.
      if (error.exitCode === 0) return EXIT_OK;
      if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') {
        return EXIT_USAGE;
      }
      const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
      io.stderr.write(`ERROR: (${commandPathOf(program, argv).id}) ${message}\n`);
      return EXIT_USAGE;
    }
    const report = reportError(state.commandId, error);
    for (const line of report.lines) io.stderr.write(`${line}\n`);
    return report.exitCode;
  }
}
