/** One entry of a list index: the record's id and the cursor that resumes after it. */
export interface IndexEntry {
  readonly id: string;
  readonly cursor: string;
}

/** A walk of one list index in list order, keeping the records a filter matches. */
export interface FilteredScan<T> {
  readonly pageSize: number;
  /** Index entries one call may examine (a page may come back short, with a cursor). */
  readonly budget: number;
  /** Resume after this cursor; undefined: from the start. */
  readonly after: string | undefined;
  /** Up to `count` entries after `after` (undefined: from the start), in list order. */
  entries(after: string | undefined, count: number): Promise<IndexEntry[]>;
  /** The records of `ids` by id; ids missing from the map are gone and skipped. */
  read(ids: readonly string[]): Promise<ReadonlyMap<string, T>>;
  matches(record: T): boolean;
}

export interface FilteredPage<T> {
  readonly records: T[];
  /** Index entries examined. */
  readonly examined: number;
  /** Set when the index has entries past the last one examined. */
  readonly nextCursor?: string;
}

/**
 * The first round trip reads what the page still needs; later ones read at
 * least MIN_CHUNK, doubling up to MAX_CHUNK, so a sparse filter takes few round trips.
 */
const MIN_CHUNK = 20;
const MAX_CHUNK = 640;

/**
 * One page of the records that match, examining at most `budget` index
 * entries. The cursor is the last entry examined, so the next page starts
 * exactly after it, whatever changed in between.
 */
export const scanFiltered = async <T>(scan: FilteredScan<T>): Promise<FilteredPage<T>> => {
  const records: T[] = [];
  let examined = 0;
  let after = scan.after;
  for (let floor = 0; ; floor = Math.min(Math.max(floor * 2, MIN_CHUNK), MAX_CHUNK)) {
    const want = Math.min(scan.budget - examined, Math.max(scan.pageSize - records.length, floor));
    // One entry more than examined tells whether the index goes on.
    const entries = await scan.entries(after, want + 1);
    const chunk = entries.slice(0, want);
    const found = await scan.read(chunk.map((entry) => entry.id));
    for (const [i, entry] of chunk.entries()) {
      examined += 1;
      after = entry.cursor;
      const record = found.get(entry.id);
      if (record !== undefined && scan.matches(record)) records.push(record);
      if (records.length === scan.pageSize) {
        return i + 1 < entries.length
          ? { records, examined, nextCursor: entry.cursor }
          : { records, examined };
      }
    }
    if (entries.length <= want || after === undefined) return { records, examined };
    if (examined >= scan.budget) return { records, examined, nextCursor: after };
  }
};
