/**
 * A streaming JSON Lines parser: one JSON object per line, blank lines
 * skipped, LF or CRLF line ends, chunks split anywhere.
 */

/** One object and the 1-based line it was on. */
export interface JsonLinesRecord {
  readonly value: Readonly<Record<string, unknown>>;
  readonly line: number;
}

/** Longer lines are not JSON Lines data; stop before memory runs out. */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

/** A line that is not a JSON object. */
export class JsonLinesSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Incremental parser; `push` each chunk, then `end` once. */
export class JsonLinesParser {
  private pending = '';
  private line = 0;
  private started = false;

  /** Parse a chunk; returns the objects on the lines it completed. */
  push(chunk: string): JsonLinesRecord[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: JsonLinesRecord[] = [];
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      const piece = text.slice(start, nl);
      const line = this.pending === '' ? piece : this.pending + piece;
      this.pending = '';
      this.parseLine(line, out);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) this.pending += text.slice(start);
    if (this.pending.length > MAX_LINE_CHARS) {
      throw new JsonLinesSyntaxError(
        `line ${this.line + 1} is longer than ${MAX_LINE_CHARS} characters`,
        this.line + 1,
      );
    }
    return out;
  }

  /** Finish: returns the object on a last line that had no newline. */
  end(): JsonLinesRecord[] {
    const out: JsonLinesRecord[] = [];
    if (this.pending !== '') {
      const line = this.pending;
      this.pending = '';
      this.parseLine(line, out);
    }
    return out;
  }

  private parseLine(text: string, out: JsonLinesRecord[]): void {
    this.line += 1;
    const trimmed = text.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new JsonLinesSyntaxError(`line ${this.line} is not valid JSON: ${reason}`, this.line);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      throw new JsonLinesSyntaxError(
        `line ${this.line} holds ${kind}, not a JSON object (JSON Lines needs one object per line)`,
        this.line,
      );
    }
    out.push({ value: value as Record<string, unknown>, line: this.line });
  }
}

/** Parse a whole JSON Lines text at once. */
export function parseJsonLines(text: string): JsonLinesRecord[] {
  const parser = new JsonLinesParser();
  return [...parser.push(text), ...parser.end()];
}
