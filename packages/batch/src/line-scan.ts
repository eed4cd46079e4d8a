import type { Storage } from '@stratus/storage';

/** Whole lines `[start, end)` of one object and the rows in them. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
  /** 1-based number of the line at `start`. */
  readonly firstLine: number;
  /** Non-blank lines in the range. */
  readonly rows: number;
}

/** One object cut into line ranges of about `shardBytes` each. */
export interface ObjectScan {
  /** CSV: the first non-blank line (without BOM or line ending); no range includes it. */
  readonly header?: string;
  readonly ranges: LineRange[];
  /** Rows in all ranges. */
  readonly rows: number;
}

export interface ScanOptions {
  /** A range closes at the first line end at least this many bytes after its start. */
  readonly shardBytes: number;
  /** Whether the first non-blank line is a header rather than a row. */
  readonly header: boolean;
}

const LF = 10;

/** Space, tab and CR: a line of only these is blank (the reader skips it the same way). */
const isBlankByte = (byte: number): boolean => byte === 32 || byte === 9 || byte === 13;

const allBlank = (chunk: Buffer, from: number, to: number): boolean => {
  for (let i = from; i < to; i += 1) if (!isBlankByte(chunk[i] ?? 0)) return false;
  return true;
};

const hasByteOrderMark = (chunk: Buffer): boolean =>
  chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;

const decodeHeader = (parts: readonly Buffer[]): string => {
  let text = Buffer.concat(parts).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
};

/**
 * Read an object once and cut it at line ends into ranges of about
 * `shardBytes`, counting the non-blank lines of each. A trailing run of blank
 * lines joins the last range; an object without rows gives no range.
 */
export const scanLines = async (
  storage: Storage,
  uri: string,
  options: ScanOptions,
): Promise<ObjectScan> => {
  const ranges: LineRange[] = [];
  let header: string | undefined;
  let headerPending = options.header;
  let headerParts: Buffer[] = [];
  let position = 0;
  let lineNumber = 1;
  let lineBlank = true;
  let lineBytes = 0;
  let rangeStart = 0;
  let rangeFirstLine = 1;
  let rangeRows = 0;
  let rows = 0;

  const endLine = (lineEnd: number): void => {
    if (headerPending) {
      if (!lineBlank) {
        header = decodeHeader(headerParts);
        headerPending = false;
      }
      headerParts = [];
      rangeStart = lineEnd;
      rangeFirstLine = lineNumber + 1;
    } else if (!lineBlank) {
      rangeRows += 1;
    }
    lineNumber += 1;
    lineBlank = true;
    lineBytes = 0;
    if (rangeRows > 0 && lineEnd - rangeStart >= options.shardBytes) {
      ranges.push({ start: rangeStart, end: lineEnd, firstLine: rangeFirstLine, rows: rangeRows });
      rows += rangeRows;
      rangeStart = lineEnd;
      rangeFirstLine = lineNumber;
      rangeRows = 0;
    }
  };

  for await (const chunk of storage.createReadStream(uri) as AsyncIterable<Buffer>) {
    let from = 0;
    // The reader drops a byte-order mark, so a line of only one is blank to it: count it so here.
    let markBytes = position === 0 && hasByteOrderMark(chunk) ? 3 : 0;
    for (;;) {
      const newline = chunk.indexOf(LF, from);
      const to = newline === -1 ? chunk.length : newline;
      if (lineBlank && !allBlank(chunk, from + markBytes, to)) lineBlank = false;
      markBytes = 0;
      if (headerPending) headerParts.push(Buffer.from(chunk.subarray(from, to)));
      lineBytes += to - from;
      if (newline === -1) break;
      endLine(position + newline + 1);
      from = newline + 1;
    }
    position += chunk.length;
  }
  if (lineBytes > 0) endLine(position);
  if (rangeRows > 0) {
    ranges.push({ start: rangeStart, end: position, firstLine: rangeFirstLine, rows: rangeRows });
    rows += rangeRows;
  } else {
    const last = ranges.pop();
    if (last !== undefined) ranges.push({ ...last, end: position });
  }
  return { ...(header === undefined ? {} : { header }), ranges, rows };
};
