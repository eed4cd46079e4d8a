import type { CommandContext } from '../context.js';
import type { ResourceView } from '../output/printer.js';
import { sortByKeys, type SortKey } from '../output/sort-by.js';

/** The flags `addSortLimitOptions` defines, as the action gets them. */
export interface SortLimitFlags {
  readonly sortBy?: readonly SortKey[];
  readonly limit?: number;
}

/** The flags `addListOptions` defines. */
export interface ListFlags extends SortLimitFlags {
  readonly filter?: string;
  readonly pageSize?: number;
  readonly uri?: boolean;
}

/** `--sort-by`, then `--limit`, as gcloud applies them. */
export const sortAndLimit = <T>(items: readonly T[], flags: SortLimitFlags): T[] => {
  const sorted = flags.sortBy === undefined ? [...items] : sortByKeys(items, flags.sortBy);
  return flags.limit === undefined ? sorted : sorted.slice(0, flags.limit);
};

/** One page of a list: its items and the token of the next one. */
export interface ListPage<T> {
  readonly items: readonly T[];
  readonly nextPageToken?: string | undefined;
}

/** Requests a page: `pageSize` and (after the first) `pageToken`, plus `filter` when given. */
export type PageFetcher<T> = (query: {
  pageSize: number;
  pageToken?: string;
  filter?: string;
}) => Promise<ListPage<T>>;

/**
 * Every item the flags ask for, page after page. As gcloud applies them:
 * sort, then limit — so with `--sort-by` every page is read; without it,
 * fetching stops once `--limit` items are in.
 */
export const collectList = async <T>(fetch: PageFetcher<T>, flags: ListFlags): Promise<T[]> => {
  const limit = flags.limit ?? Number.POSITIVE_INFINITY;
  const sorting = flags.sortBy !== undefined;
  const stopAt = sorting ? Number.POSITIVE_INFINITY : limit;
  const items: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await fetch({
      pageSize: flags.pageSize ?? Math.min(100, stopAt - items.length),
      ...(pageToken === undefined ? {} : { pageToken }),
      ...(flags.filter === undefined ? {} : { filter: flags.filter }),
    });
    items.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && items.length < stopAt);
  return sortAndLimit(items, flags);
};

/**
 * Print a list: its REST URLs with `--uri`, else the resources in the chosen
 * format (`Listed 0 items.` on stderr for an empty default table, as gcloud).
 */
export const printList = async <T>(
  ctx: CommandContext,
  items: readonly T[],
  view: ResourceView,
  flags: ListFlags,
  pathOf: (item: T) => string,
): Promise<void> => {
  if (flags.uri === true) {
    const { apiUrl } = await ctx.session.cliConfig();
    const base = apiUrl.replace(/\/+$/, '');
    for (const item of items) ctx.printer.out(`${base}/v1/${pathOf(item)}\n`);
    return;
  }
  if (items.length === 0 && !ctx.printer.explicitFormat) {
    ctx.printer.info('Listed 0 items.');
    return;
  }
  await ctx.printer.resources(items, view);
};
