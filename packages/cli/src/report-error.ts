import { EXIT_ERROR, EXIT_USAGE, UsageError } from './cli-errors.js';

interface Violation {
  readonly field: string;
  readonly description: string;
}

/** The parts of StratusError / StratusApiError the CLI prints (duck-typed: no import needed). */
interface ReasonedError {
  readonly message: string;
  readonly reason: string;
  readonly violations?: readonly Violation[];
  readonly fieldViolations?: readonly Violation[];
  readonly cause?: unknown;
}

const isReasoned = (error: unknown): error is ReasonedError =>
  error instanceof Error && typeof (error as { reason?: unknown }).reason === 'string';

/**
 * Why a connection failed, from fetch's cause chain: a system error code
 * (`ECONNREFUSED`, `ENOTFOUND`), else the innermost message (`bad port`).
 */
const networkReason = (error: unknown): string | undefined => {
  let current: unknown = error;
  let innermost: string | undefined;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested)) {
      const codes = nested
        .map((e) => (e as { code?: unknown }).code)
        .filter((c) => typeof c === 'string');
      if (codes.length > 0) return [...new Set(codes)].join(', ');
    }
    if (current instanceof Error) innermost = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return innermost;
};

/** What to print for an error, and the exit status it means. */
export interface ErrorReport {
  readonly lines: readonly string[];
  readonly exitCode: number;
}

/**
 * Turn anything a command threw into gcloud-style lines:
 * `ERROR: (stratus.jobs.describe) JOB_NOT_FOUND: Job "…" not found`, then one
 * line per field violation. Never a stack trace.
 */
export const reportError = (commandId: string, error: unknown): ErrorReport => {
  const prefix = `ERROR: (${commandId})`;
  if (error instanceof UsageError) {
    return { lines: [`${prefix} ${error.message}`], exitCode: EXIT_USAGE };
  }
  if (isReasoned(error)) {
    let message = error.message;
    if (error.reason === 'CONNECTION_FAILED') {
      const why = networkReason(error.cause);
      if (why !== undefined && !message.includes(why)) message = `${message} (${why})`;
    }
    const violations = error.fieldViolations ?? error.violations ?? [];
    return {
      lines: [
        `${prefix} ${error.reason}: ${message}`,
        ...(violations.length > 1
          ? violations.map((v) => `  ${v.field === '' ? 'body' : v.field}: ${v.description}`)
          : []),
      ],
      exitCode: EXIT_ERROR,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { lines: [`${prefix} ${message}`], exitCode: EXIT_ERROR };
};
