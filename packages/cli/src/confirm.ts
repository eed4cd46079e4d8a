import { createInterface } from 'node:readline';
import type { CommandContext } from './context.js';

/** Declining a prompt: `ERROR: (stratus.models.delete) Aborted by user.`, exit status 1. */
export class AbortedByUserError extends Error {
  override readonly name = 'AbortedByUserError';
  constructor() {
    super('Aborted by user.');
  }
}

const PROMPT = 'Do you want to continue (Y/n)?  ';
const REPROMPT = "Please enter 'y' or 'n':  ";

/** Whether the command may ask: stdin is a terminal and `-q/--quiet` was not given. */
export const canPrompt = (ctx: Pick<CommandContext, 'io' | 'globals'>): boolean =>
  ctx.globals.quiet !== true && (ctx.io.stdin as { isTTY?: boolean }).isTTY === true;

/**
 * Before a destructive step: print `message` and ask to continue, as gcloud's
 * PromptContinue does (default yes; Enter or end of input continue; `n`
 * throws {@link AbortedByUserError}). With `--quiet`, or when stdin is not a
 * terminal, nobody is asked and the default answer (continue) is taken.
 */
export const confirmContinue = async (
  ctx: Pick<CommandContext, 'io' | 'globals'>,
  message: string,
): Promise<void> => {
  if (!canPrompt(ctx)) return;
  const { stdin, stderr } = ctx.io;
  stderr.write(`${message}\n\n${PROMPT}`);
  const lines = createInterface({ input: stdin, terminal: false });
  let answer: boolean | undefined;
  try {
    for await (const line of lines) {
      const word = line.trim().toLowerCase();
      if (word === '' || word === 'y' || word === 'yes') answer = true;
      else if (word === 'n' || word === 'no') answer = false;
      if (answer !== undefined) break;
      stderr.write(REPROMPT);
    }
  } finally {
    lines.close();
    stdin.pause();
    stderr.write('\n');
  }
  if (answer === false) throw new AbortedByUserError();
};
