import { StratusApiError } from '@stratus/client';
import type { Operation } from '@stratus/spec';
import { UsageError } from '../cli-errors.js';
import type { ActionHandler } from '../context.js';
import { JOB_DESCRIBE_VIEW } from './job-views.js';
import { changesLabels, updatedLabels, type LabelUpdateFlags } from './label-update.js';
import { MODEL_DESCRIBE_VIEW, VERSION_DESCRIBE_VIEW } from './model-views.js';
import { operationError } from './operation-error.js';

/**
 * The `update` commands read the resource, change what the flags say and
 * send its etag with the patch, so a change made in between is not
 * overwritten: the server answers 409 ETAG_MISMATCH and {@link readModifyWrite}
 * reads it again.
 */

/** How often an update is read and sent again after a concurrent change (a running job's etag moves with its trials). */
export const READ_MODIFY_TRIES = 3;

/** Run a read-then-patch again while the patch's etag went stale in between (409 ETAG_MISMATCH). */
export const readModifyWrite = async <T>(update: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await update();
    } catch (error) {
      const stale = error instanceof StratusApiError && error.reason === 'ETAG_MISMATCH';
      if (!stale || attempt >= READ_MODIFY_TRIES) throw error;
    }
  }
};

const LABEL_FLAGS = '--update-labels, --remove-labels or --clear-labels';

const nothingToDo = (flags: string): UsageError =>
  new UsageError(`nothing to update: give at least one of ${flags}`);

/** A finished update operation's error (the CLI exits 1), else nothing. */
const throwIfFailed = (operation: Operation): void => {
  const failed = operationError(operation);
  if (failed !== undefined) throw failed;
};

/** `stratus jobs update JOB --update-labels k=v --remove-labels k --clear-labels`. */
export const updateJob: ActionHandler<LabelUpdateFlags> = async (ctx, args, options) => {
  if (!changesLabels(options)) throw nothingToDo(LABEL_FLAGS);
  const jobId = args[0] as string;
  const client = await ctx.session.client();
  const job = await readModifyWrite(async () => {
    const current = await client.jobs.get(jobId);
    return client.jobs.patch(jobId, {
      updateMask: ['labels'],
      body: {
        labels: updatedLabels(current.labels, options),
        ...(current.etag === undefined ? {} : { etag: current.etag }),
      },
    });
  });
  ctx.printer.info(`Updated job [${jobId}].`);
  await ctx.printer.resource(job, JOB_DESCRIBE_VIEW);
};

interface UpdateModelFlags extends LabelUpdateFlags {
  readonly description?: string;
}

/** `stratus models update MODEL [--description TEXT] [label flags]`. */
export const updateModel: ActionHandler<UpdateModelFlags> = async (ctx, args, options) => {
  const labels = changesLabels(options);
  if (!labels && options.description === undefined) {
    throw nothingToDo(`--description, ${LABEL_FLAGS}`);
  }
  const modelId = args[0] as string;
  const client = await ctx.session.client();
  const operation = await readModifyWrite(async () => {
    const current = await client.models.get(modelId);
    return client.models.patch(modelId, {
      updateMask: [
        ...(options.description === undefined ? [] : ['description']),
        ...(labels ? ['labels'] : []),
      ],
      body: {
        ...(options.description === undefined ? {} : { description: options.description }),
        ...(labels ? { labels: updatedLabels(current.labels, options) } : {}),
        ...(current.etag === undefined ? {} : { etag: current.etag }),
      },
    });
  });
  throwIfFailed(operation);
  ctx.printer.info(`Updated model [${modelId}].`);
  await ctx.printer.resource(await client.models.get(modelId), MODEL_DESCRIBE_VIEW);
};

interface UpdateVersionFlags extends UpdateModelFlags {
  readonly model: string;
  readonly minNodes?: number;
  readonly nodes?: number;
}

/**
 * `stratus versions update V --model M [--description] [label flags]
 * [--min-nodes N | --nodes N]`: --min-nodes changes autoScaling.minNodes,
 * --nodes manualScaling.nodes (a version has one kind of scaling).
 */
export const updateVersion: ActionHandler<UpdateVersionFlags> = async (ctx, args, options) => {
  const labels = changesLabels(options);
  if (options.minNodes !== undefined && options.nodes !== undefined) {
    throw new UsageError('give --min-nodes (autoScaling) or --nodes (manualScaling), not both');
  }
  const mask = [
    ...(options.description === undefined ? [] : ['description']),
    ...(labels ? ['labels'] : []),
    ...(options.minNodes === undefined ? [] : ['autoScaling.minNodes']),
    ...(options.nodes === undefined ? [] : ['manualScaling.nodes']),
  ];
  if (mask.length === 0) throw nothingToDo(`--description, ${LABEL_FLAGS}, --min-nodes or --nodes`);
  const versionId = args[0] as string;
  const client = await ctx.session.client();
  const operation = await readModifyWrite(async () => {
    const current = await client.versions.get(options.model, versionId);
    return client.versions.patch(options.model, versionId, {
      updateMask: mask,
      body: {
        ...(options.description === undefined ? {} : { description: options.description }),
        ...(labels ? { labels: updatedLabels(current.labels, options) } : {}),
        ...(options.minNodes === undefined
          ? {}
          : { autoScaling: { ...current.autoScaling, minNodes: options.minNodes } }),
        ...(options.nodes === undefined ? {} : { manualScaling: { nodes: options.nodes } }),
        ...(current.etag === undefined ? {} : { etag: current.etag }),
      },
    });
  });
  throwIfFailed(operation);
  ctx.printer.info(`Updated version [${versionId}] of model [${options.model}].`);
  await ctx.printer.resource(
    await client.versions.get(options.model, versionId),
    VERSION_DESCRIBE_VIEW,
  );
};
