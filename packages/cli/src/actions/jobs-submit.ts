import { UsageError } from '../cli-errors.js';
import type { ActionHandler, CommandContext } from '../context.js';
import { draftJob, validDraft, type DraftJob } from './job-input.js';
import { npmPack, type PackedPackage } from './npm-pack.js';
import { streamJob, submitAndFollow } from './stream-job.js';
import type { TrainingFlags } from './training-flags.js';
import { transferView, uploadFile } from './transfers.js';
import { userArgsOf } from './user-args.js';

interface SubmitOptions extends TrainingFlags {
  readonly streamLogs?: boolean;
  readonly async?: boolean;
}

/** Pack `--package-path` and put its future URI first in `packageUris` (gcloud's order). */
const withPackage = async (
  ctx: CommandContext,
  draft: DraftJob,
  packagePath: string,
): Promise<{ draft: DraftJob; packed: PackedPackage; uri: string }> => {
  const jobDir = draft.trainingInput.jobDir;
  if (typeof jobDir !== 'string') {
    throw new UsageError(
      '--package-path needs --job-dir or --staging-bucket: the package is uploaded to {jobDir}/packages/',
    );
  }
  const packed = await npmPack(ctx.session.path(packagePath), ctx.io.env);
  const uri = `${jobDir.replace(/\/+$/, '')}/packages/${packed.filename}`;
  const others = draft.trainingInput.packageUris;
  const packageUris = [uri, ...(Array.isArray(others) ? (others as unknown[]) : [])];
  return {
    draft: { ...draft, trainingInput: { ...draft.trainingInput, packageUris } },
    packed,
    uri,
  };
};

/**
 * `stratus jobs submit training JOB`: assemble the job from `--config` and
 * flags, validate it as the API does, upload `--package-path`, submit, and
 * with `--stream-logs` follow it to the end (exit 0 only if it SUCCEEDED).
 */
export const submitTraining: ActionHandler<SubmitOptions> = async (ctx, args, options) => {
  if (options.streamLogs === true && options.async === true) {
    throw new UsageError('--stream-logs and --async contradict each other; pick one');
  }
  const jobId = args[0] as string;
  const userArgs = userArgsOf(ctx, args[1]);
  let draft = await draftJob(ctx.session, jobId, options, userArgs);
  let packed: { packed: PackedPackage; uri: string } | undefined;
  try {
    if (options.packagePath !== undefined) {
      const result = await withPackage(ctx, draft, options.packagePath);
      draft = result.draft;
      packed = result;
    }
    const input = validDraft(draft);
    const client = await ctx.session.client();
    if (packed !== undefined) {
      ctx.printer.info(`Uploading ${packed.packed.filename} to ${packed.uri}`);
      const storage = await ctx.session.storage();
      await uploadFile(
        storage,
        packed.packed.file,
        packed.uri,
        transferView(ctx.io, ctx.printer.quiet),
      );
    }
    return await submitAndFollow(ctx, client, input, options, 'logs', (id) =>
      streamJob(ctx, client, id),
    );
  } finally {
    await packed?.packed.cleanup();
  }
};
