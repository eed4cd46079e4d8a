/** Called for each complete line: its text (no `\n`, no trailing `\r`) and 1-based number. */
export type LineHandler = (text: string, line: number) => void;

const LF = 10;

/**
 * Splits a byte stream into lines. Chunks are decoded up to their last `\n`
 * (a byte no multi-byte UTF-8 character contains), so a character split
 * between chunks is never mangled and each chunk is decoded once.
 */
export class LineSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private line: number;
  private first = true;

  /** @param firstLine the 1-based number of the stream's first line */
  constructor(firstLine: number) {
    this.line = firstLine;
  }

  /** Hand every line the chunk completes to `onLine`. */
  push(chunk: Buffer, onLine: LineHandler): void {
    const last = chunk.lastIndexOf(LF);
    if (last === -1) {
      this.carry =
        this.carry.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.carry, chunk]);
      return;
    }
    const head = chunk.subarray(0, last + 1);
    const text = (this.carry.length === 0 ? head : Buffer.concat([this.carry, head])).toString(
      'utf8',
    );
    this.carry = Buffer.from(chunk.subarray(last + 1));
    this.emit(text, onLine);
  }

  /** Hand the last line, when the stream did not end with `\n`. */
  end(onLine: LineHandler): void {
    if (this.carry.length === 0) return;
    const text = this.carry.toString('utf8');
    this.carry = Buffer.alloc(0);
    this.emit(`${text}\n`, onLine);
  }

  /** `text` ends with `\n`. */
  private emit(text: string, onLine: LineHandler): void {
    let from = 0;
    if (this.first) {
      this.first = false;
      // A byte-order mark can only open the object's first line.
      if (this.line === 1 && text.charCodeAt(0) === 0xfeff) from = 1;
    }
    const n = text.length;
    while (from < n) {
      const newline = text.indexOf('\n', from);
      const end = newline > from && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      onLine(text.slice(from, end), this.line);
      this.line += 1;
      from = newline + 1;
    }
  }
}

const BLANK = /^[ \t\r]*$/;

/** Whether a line holds only spaces, tabs and CRs: no row (the planner counts it the same way). */
export const isBlankLine = (text: string): boolean => {
  if (text.length === 0) return true;
  const code = text.charCodeAt(0);
  if (code !== 32 && code !== 9 && code !== 13) return false;
  return BLANK.test(text);
};
