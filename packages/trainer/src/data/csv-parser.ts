/**
 * A streaming RFC 4180 CSV parser: feed it text chunks of any size, split
 * anywhere (inside a quoted field, between CR and LF, between two quotes of a
 * doubled quote), and it returns each record once it is complete.
 */

/** One parsed record and the 1-based line its first field starts on. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
/** Longer fields mean an unterminated quote or not CSV at all; stop before memory runs out. */
export const MAX_FIELD_CHARS = 16 * 1024 * 1024;

/** Thrown for text that is not CSV at all (an unterminated quote). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Incremental parser; `push` each chunk, then `end` once. Quotes may be doubled ("") inside quoted fields. */
export class CsvParser {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  /** The previous chunk ended on a quote inside a quoted field: closing or the first of "". */
  private quotePending = false;
  /** The previous chunk ended on CR: a leading LF in the next belongs to it. */
  private skipLf = false;
  private quoteStartLine = 0;
  /** The current field opened with a quote, so a later quote in it is no opening quote. */
  private fieldQuoted = false;
  /** The current record had a quoted field, so `""` alone on a line is a record, not a blank line. */
  private sawQuote = false;
  private line = 1;
  private recordLine = 1;
  private started = false;

  /** Parse a chunk; returns the records completed by it. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let i = 0;
    const n = text.length;
    if (n === 0) return out;
    if (this.skipLf) {
      this.skipLf = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    if (this.quotePending) {
      this.quotePending = false;
      if (text.charCodeAt(i) === QUOTE) {
        this.field += '"';
        i += 1;
      } else {
        this.inQuotes = false;
      }
    }
    while (i < n) {
      if (this.inQuotes) {
        const q = text.indexOf('"', i);
        const end = q === -1 ? n : q;
        this.appendQuoted(text, i, end);
        if (q === -1) return out;
        if (q + 1 === n) {
          this.quotePending = true;
          return out;
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          this.field += '"';
          i = q + 2;
        } else {
          this.inQuotes = false;
          i = q + 1;
        }
        continue;
      }
      let j = i;
      let c = 0;
      while (j < n) {
        c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
        j += 1;
      }
      if (j > i) this.field += text.slice(i, j);
      if (j === n) {
        if (this.field.length > MAX_FIELD_CHARS) {
          throw new CsvSyntaxError(
            `the field on line ${this.line} is longer than ${MAX_FIELD_CHARS} characters`,
            this.line,
          );
        }
        return out;
      }
      i = j + 1;
      if (c === QUOTE) {
        if (this.field === '' && !this.fieldQuoted) {
          this.inQuotes = true;
          this.fieldQuoted = true;
          this.sawQuote = true;
          this.quoteStartLine = this.line;
        } else {
          // A stray quote inside an unquoted field is kept as text, as most readers do.
          this.field += '"';
        }
      } else if (c === COMMA) {
        this.endField();
      } else {
        this.endField();
        this.endRecord(out);
        this.line += 1;
        this.recordLine = this.line;
        if (c === CR) {
          if (i === n) this.skipLf = true;
          else if (text.charCodeAt(i) === LF) i += 1;
        }
      }
    }
    return out;
  }

  /** Finish: returns the last record when the text did not end with a newline. */
  end(): CsvRecord[] {
    if (this.inQuotes && !this.quotePending) {
      throw new CsvSyntaxError(
        `unterminated quoted field starting on line ${this.quoteStartLine}`,
        this.quoteStartLine,
      );
    }
    this.inQuotes = false;
    this.quotePending = false;
    const out: CsvRecord[] = [];
    if (this.field !== '' || this.fields.length > 0 || this.sawQuote) {
      this.endField();
      this.endRecord(out);
    }
    return out;
  }

  private appendQuoted(text: string, start: number, end: number): void {
    if (end <= start) return;
    const part = text.slice(start, end);
    this.field += part;
    if (this.field.length > MAX_FIELD_CHARS) {
      throw new CsvSyntaxError(
        `the quoted field starting on line ${this.quoteStartLine} is longer than ${MAX_FIELD_CHARS} characters (unterminated quote?)`,
        this.quoteStartLine,
      );
    }
    let nl = part.indexOf('\n');
    while (nl !== -1) {
      this.line += 1;
      nl = part.indexOf('\n', nl + 1);
    }
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.fieldQuoted = false;
  }

  private endRecord(out: CsvRecord[]): void {
    const fields = this.fields;
    this.fields = [];
    // A blank line is no record (RFC 4180 allows none; readers skip them).
    const blank = fields.length === 1 && fields[0] === '' && !this.sawQuote;
    this.sawQuote = false;
    if (!blank) out.push({ fields, line: this.recordLine });
  }
}

/** Parse a whole CSV text at once (header included). */
export function parseCsv(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}
