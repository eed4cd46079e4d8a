import { setTimeout as sleep } from 'node:timers/promises';
import { FRAMEWORKS, type Framework, type Operation, type VersionInput } from '@stratus/spec';
import { UsageError } from '../cli-errors.js';
import type { ActionHandler } from '../context.js';
import { createSpinner } from '../output/spinner.js';
import { OPERATION_VIEW, VERSION_DESCRIBE_VIEW } from './model-views.js';
import { configFileError, isObject, readConfigFile } from './config-file.js';
import { operationError } from './operation-error.js';

interface CreateVersionOptions {
  readonly model: string;
  readonly origin?: string;
  /** `--framework`, any case. */
  readonly framework?: string;
  readonly fromJob?: string;
  readonly trial?: number;
  /** A Cloud ML Version file (YAML or JSON); the flags override its fields. */
  readonly config?: string;
  readonly description?: string;
  readonly labels?: Record<string, string>;
  readonly runtimeVersion?: string;
  readonly machineType?: string;
  readonly maxBatchSize?: number;
  readonly maxLatencyMs?: number;
  readonly async?: boolean;
  readonly timeout?: number;
}

/** How often the operation is polled while waiting. */
const POLL_MS = 250;
const DEFAULT_TIMEOUT_S = 600;

/**
 * `--framework onnx` in any case. Checked here, not by a flag parser, so that
 * `stratus --help` loads no Stratus package (packages/cli/src/startup.test.ts).
 */
const frameworkOf = (raw: string): Framework => {
  const found = FRAMEWORKS.find((name) => name === raw.trim().toUpperCase());
  if (found === undefined) {
    throw new UsageError(`--framework must be one of ${FRAMEWORKS.join(', ')}, not "${raw}"`);
  }
  return found;
};

/**
 * The request body from a `--config` file's Version (if any) and the flags,
 * which override it; a usage error unless exactly one source is given
 * (a source flag replaces the file's). The server validates the fields.
 */
export const versionInput = (
  name: string,
  options: CreateVersionOptions,
  config: Readonly<Record<string, unknown>> = {},
): VersionInput => {
  const flagSource = options.origin !== undefined || options.fromJob !== undefined;
  const configSource = config.deploymentUri !== undefined || config.sourceJob !== undefined;
  if (options.origin !== undefined && options.fromJob !== undefined) {
    throw new UsageError('give exactly one of --origin and --from-job');
  }
  if (!flagSource && !configSource) {
    throw new UsageError(
      'give exactly one of --origin and --from-job (or a --config with deploymentUri or sourceJob)',
    );
  }
  if (options.trial !== undefined && options.fromJob === undefined) {
    throw new UsageError('--trial needs --from-job');
  }
  const framework = options.framework === undefined ? undefined : frameworkOf(options.framework);
  const batching = {
    ...(config.batching as Record<string, unknown> | undefined),
    ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
    ...(options.maxLatencyMs === undefined ? {} : { maxLatencyMs: options.maxLatencyMs }),
  };
  // The file's name, and its source when a flag gives one, give way to the command line.
  const { name: _fileName, deploymentUri, sourceJob, ...fromFile } = config;
  const fileSource = flagSource ? {} : { deploymentUri, sourceJob };
  return {
    ...fromFile,
    ...Object.fromEntries(Object.entries(fileSource).filter(([, value]) => value !== undefined)),
    name,
    ...(options.origin === undefined ? {} : { deploymentUri: options.origin }),
    ...(options.fromJob === undefined
      ? {}
      : {
          sourceJob: {
            jobId: options.fromJob,
            ...(options.trial === undefined ? {} : { trialId: String(options.trial) }),
          },
        }),
    ...(framework === undefined ? {} : { framework }),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.labels === undefined ? {} : { labels: options.labels }),
    ...(options.runtimeVersion === undefined ? {} : { runtimeVersion: options.runtimeVersion }),
    ...(options.machineType === undefined ? {} : { machineType: options.machineType }),
    ...(Object.keys(batching).length === 0 ? {} : { batching }),
  } as VersionInput;
};

/** A `--config` file's Version fields. */
const readVersionConfig = async (
  ctx: Parameters<ActionHandler>[0],
  path: string,
): Promise<Record<string, unknown>> => {
  const value = await readConfigFile(ctx.session.path(path), path);
  if (!isObject(value)) throw configFileError(path, 'must hold a mapping (the Version fields)');
  return value;
};

/**
 * `stratus versions create V --model M (--origin URI | --from-job JOB [--trial N] | --config FILE)`:
 * deploy, then wait until a predictor has loaded and warmed the version
 * (READY: print it, exit 0) or could not (FAILED: its reason and message,
 * exit 1). `--async` prints the operation at once.
 */
export const createVersion: ActionHandler<CreateVersionOptions> = async (ctx, args, options) => {
  const name = args[0] as string;
  const config = options.config === undefined ? {} : await readVersionConfig(ctx, options.config);
  const input = versionInput(name, options, config);
  const client = await ctx.session.client();
  let operation: Operation = await client.versions.create(options.model, input);
  const what = `version [${name}] of model [${options.model}]`;
  if (options.async === true) {
    ctx.printer.info(
      `Creating ${what} in the background; \`stratus versions describe ${name} --model ${options.model}\` shows its state.`,
    );
    await ctx.printer.resource(operation, OPERATION_VIEW);
    return;
  }
  const timeoutMs = (options.timeout ?? DEFAULT_TIMEOUT_S) * 1000;
  const deadline = Date.now() + timeoutMs;
  const spinner = createSpinner(ctx.io.stderr, `Creating ${what}`, {
    quiet: ctx.printer.quiet,
  });
  try {
    while (!operation.done) {
      spinner.update(operation.metadata.version?.state ?? '');
      if (Date.now() > deadline) {
        throw new Error(
          `${what} is not READY after ${timeoutMs / 1000} s; it is still being created (\`stratus versions describe ${name} --model ${options.model}\`)`,
        );
      }
      await sleep(POLL_MS, undefined, ctx.io.signal === undefined ? {} : { signal: ctx.io.signal });
      operation = await client.operations.get(operation.name);
    }
  } catch (error) {
    spinner.stop();
    if (ctx.io.signal?.aborted === true) {
      ctx.printer.info(`Interrupted; ${what} is still being created on the server.`);
      return 130;
    }
    throw error;
  }
  spinner.stop();
  const failed = operationError(operation);
  if (failed !== undefined) throw failed;
  const version = await client.versions.get(options.model, name);
  ctx.printer.info(`Created ${what}; it is ${version.state}.`);
  await ctx.printer.resource(version, VERSION_DESCRIBE_VIEW);
};
