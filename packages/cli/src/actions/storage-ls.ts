import type { ObjectStat, Storage } from '@stratus/storage';
import { UsageError } from '../cli-errors.js';
import type { ActionHandler } from '../context.js';
import type { ResourceView } from '../output/printer.js';
import { formatBytes } from '../output/progress-bar.js';

interface ListOptions {
  readonly recursive?: boolean;
  readonly long?: boolean;
}

/** One line of a listing: an object or, without -r, a "directory" prefix. */
interface Entry {
  readonly uri: string;
  readonly kind: 'object' | 'prefix';
  readonly size?: number;
  readonly updated?: string;
  readonly generation?: string;
}

const LS_VIEW: ResourceView = {
  columns: [{ field: 'uri' }, { field: 'size', alignRight: true }, { field: 'updated' }],
};

const objectEntry = (object: ObjectStat): Entry => ({
  uri: object.uri,
  kind: 'object',
  size: object.size,
  updated: object.updated.toISOString(),
  generation: object.generation,
});

const listLevel = async (storage: Storage, prefix: string): Promise<Entry[]> => {
  const entries: Entry[] = [];
  let pageToken: string | undefined;
  do {
    const page = await storage.list(prefix, {
      delimiter: '/',
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    entries.push(...page.prefixes.map((uri): Entry => ({ uri, kind: 'prefix' })));
    entries.push(...page.objects.map(objectEntry));
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return entries.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
};

/**
 * `stratus storage ls [-r] [-l] gs://bucket/prefix`: gsutil's listing — one
 * URI a line, "directories" ending in `/` unless -r; `-l` adds size and time.
 */
export const storageLs: ActionHandler<ListOptions> = async (ctx, args, options) => {
  const [uri] = args as [string];
  if (!uri.startsWith('gs://')) throw new UsageError(`${uri} is not a gs:// URI`);
  const storage = await ctx.session.storage();
  // `gs://b/dir` lists the folder's contents, as gsutil does.
  const isBucket = /^gs:\/\/[^/]+\/?$/.test(uri);
  const prefix = isBucket || uri.endsWith('/') ? uri : `${uri}/`;
  let entries: Entry[];
  if (options.recursive === true) {
    entries = [];
    for await (const object of storage.listAll(prefix)) entries.push(objectEntry(object));
  } else {
    entries = await listLevel(storage, prefix);
    if (entries.length === 0 && !isBucket && !uri.endsWith('/')) {
      entries = (await storage.exists(uri)) ? [objectEntry(await storage.stat(uri))] : [];
    }
  }
  if (entries.length === 0 && !isBucket) {
    ctx.printer.info(`No objects match ${uri}`);
    return 1;
  }
  if (ctx.printer.explicitFormat) {
    await ctx.printer.resources(entries, LS_VIEW);
    return;
  }
  for (const entry of entries) {
    if (options.long === true && entry.kind === 'object') {
      ctx.printer.out(
        `${formatBytes(entry.size ?? 0).padStart(10)}  ${entry.updated ?? ''}  ${entry.uri}\n`,
      );
    } else {
      ctx.printer.out(`${options.long === true ? ' '.repeat(38) : ''}${entry.uri}\n`);
    }
  }
};
