import { UsageError } from '../cli-errors.js';
import type { CommandContext } from '../context.js';

/**
 * The trainer arguments of `… -- USER_ARGS`. Commander collects every extra
 * operand; gcloud only accepts them after `--`, so a stray word before it is a
 * usage error instead of a silently passed argument.
 */
export const userArgsOf = (ctx: CommandContext, collected: unknown): string[] => {
  const extra = Array.isArray(collected) ? (collected as string[]) : [];
  if (extra.length === 0) return [];
  const separator = ctx.argv.indexOf('--');
  const afterSeparator = separator === -1 ? [] : ctx.argv.slice(separator + 1);
  const passed = afterSeparator.slice(afterSeparator.length - extra.length);
  if (passed.length !== extra.length || passed.some((arg, i) => arg !== extra[i])) {
    throw new UsageError(
      `unexpected argument "${extra[0] ?? ''}"; trainer arguments go after --, e.g. -- --epochs=20`,
    );
  }
  return extra;
};
