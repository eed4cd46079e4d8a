import { readFile } from 'node:fs/promises';
import { StratusError, coerceError } from '@stratus/spec';
import { UsageError } from '../cli-errors.js';
import type { CommandContext } from '../context.js';

/** The prediction input flags `local predict` (and `predict`) share. */
export interface InstanceFlags {
  /** Newline-delimited JSON, one instance a line; `-` reads stdin. */
  readonly jsonInstances?: string;
  /** A JSON request body `{"instances": [...]}`. */
  readonly jsonRequest?: string;
}

const readText = async (ctx: CommandContext, source: string, flag: string): Promise<string> => {
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.io.stdin) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(ctx.session.path(source), 'utf8');
  } catch (error) {
    const err = coerceError(error) as NodeJS.ErrnoException;
    throw new StratusError('INVALID_ARGUMENT', {
      detail: `${flag} ${source} ${err.code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.code ?? err.message})`}`,
    });
  }
};

const badInput = (detail: string): StratusError => new StratusError('INVALID_ARGUMENT', { detail });

/**
 * The instances to predict, from `--json-instances` (one JSON value a line,
 * as gcloud reads them; blank lines skipped) or `--json-request`.
 */
export const readInstances = async (
  ctx: CommandContext,
  flags: InstanceFlags,
): Promise<unknown[]> => {
  if ((flags.jsonInstances === undefined) === (flags.jsonRequest === undefined)) {
    throw new UsageError('give exactly one of --json-instances and --json-request');
  }
  if (flags.jsonInstances !== undefined) {
    const text = await readText(ctx, flags.jsonInstances, '--json-instances');
    const instances: unknown[] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        instances.push(JSON.parse(line) as unknown);
      } catch (error) {
        throw badInput(
          `--json-instances ${flags.jsonInstances} line ${index + 1} is not JSON: ${coerceError(error).message}`,
        );
      }
    });
    if (instances.length === 0)
      throw badInput(`--json-instances ${flags.jsonInstances} holds no instances`);
    return instances;
  }
  const source = flags.jsonRequest as string;
  let body: unknown;
  try {
    body = JSON.parse(await readText(ctx, source, '--json-request')) as unknown;
  } catch (error) {
    if (error instanceof StratusError) throw error;
    throw badInput(`--json-request ${source} is not JSON: ${coerceError(error).message}`);
  }
  const instances = (body as { instances?: unknown } | null)?.instances;
  if (!Array.isArray(instances))
    throw badInput(`--json-request ${source} must be {"instances": [...]}`);
  return instances;
};
