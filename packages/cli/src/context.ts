import type { CliIo } from './io.js';
import type { Printer } from './output/printer.js';
import type { Session } from './session.js';

/** Options every command accepts (docs/cli.md). */
export interface GlobalOptions {
  readonly project?: string;
  readonly apiUrl?: string;
  readonly format?: string;
  readonly quiet?: boolean;
}

/** What an action gets: the process I/O, the parsed global options, output and lazy services. */
export interface CommandContext {
  readonly io: CliIo;
  /** `stratus.jobs.describe`, as error lines name the command. */
  readonly commandId: string;
  readonly globals: GlobalOptions;
  readonly printer: Printer;
  readonly session: Session;
  /** The raw arguments after `stratus`, for checks commander cannot express (`--` placement). */
  readonly argv: readonly string[];
}

/** An action: returns its exit status (0 when it returns nothing). */
export type ActionHandler<O = Record<string, unknown>> = (
  ctx: CommandContext,
  args: readonly unknown[],
  options: O,
) => Promise<number | void>;
