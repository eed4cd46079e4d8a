import type { Operation } from '@stratus/spec';
import type { ActionHandler } from '../context.js';
import { createSpinner } from '../output/spinner.js';
import { OPERATION_LIST_VIEW, OPERATION_VIEW, basename } from './model-views.js';
import { collectList, printList, type ListFlags } from './list-output.js';
import { operationError } from './operation-error.js';

/** `stratus operations list [--filter] [--limit] [--page-size] [--sort-by] [--uri]`, newest first. */
export const listOperations: ActionHandler<ListFlags> = async (ctx, _args, options) => {
  const client = await ctx.session.client();
  const operations = await collectList(async (query) => {
    const page = await client.operations.list(query);
    return { items: page.operations ?? [], nextPageToken: page.nextPageToken };
  }, options);
  await printList(ctx, operations, OPERATION_LIST_VIEW, options, (operation) => operation.name);
};

/** `stratus operations describe OP` (an id, or the full `projects/p/operations/o`). */
export const describeOperation: ActionHandler = async (ctx, args) => {
  const client = await ctx.session.client();
  await ctx.printer.resource(await client.operations.get(args[0] as string), OPERATION_VIEW);
};

/** `stratus operations cancel OP`: a deploy not yet done ends FAILED; a done operation is left alone. */
export const cancelOperation: ActionHandler = async (ctx, args) => {
  const client = await ctx.session.client();
  const name = args[0] as string;
  const before = await client.operations.get(name);
  if (before.done) {
    ctx.printer.info(`Operation [${basename(before.name)}] is already done; nothing to cancel.`);
  } else {
    await client.operations.cancel(name);
    ctx.printer.info(`Cancelled operation [${basename(before.name)}].`);
  }
  await ctx.printer.resource(await client.operations.get(name), OPERATION_VIEW);
};

/**
 * `stratus operations wait OP [--timeout S]`: poll until it is done, print
 * it, and exit 1 with its error if it has one.
 */
export const waitOperation: ActionHandler<{ timeout?: number }> = async (ctx, args, options) => {
  const client = await ctx.session.client();
  const name = args[0] as string;
  const spinner = createSpinner(ctx.io.stderr, `Waiting for operation [${basename(name)}]`, {
    quiet: ctx.printer.quiet,
  });
  let operation: Operation;
  try {
    operation = await client.operations.wait(name, {
      ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout * 1000 }),
      ...(ctx.io.signal === undefined ? {} : { signal: ctx.io.signal }),
    });
  } catch (error) {
    spinner.stop();
    if (ctx.io.signal?.aborted === true) {
      ctx.printer.info(`Interrupted; operation [${basename(name)}] goes on on the server.`);
      return 130;
    }
    throw error;
  }
  spinner.stop();
  await ctx.printer.resource(operation, OPERATION_VIEW);
  const failed = operationError(operation);
  if (failed !== undefined) throw failed;
  return undefined;
};
