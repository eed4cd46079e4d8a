/**
 * A streaming RFC 4180 CSV parser over `csv-parse`: feed it text chunks of any size, split
 * anywhere (inside a quoted field, between CR and LF, between two quotes of a doubled quote),
 * and it returns each record once it is complete, with the line it starts on.
 */
import { CsvError, Parser } from 'csv-parse';

/** One parsed record and the 1-based line its first field starts on. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/** Longer records mean an unterminated quote or not CSV at all; stop before memory runs out. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** Thrown for text that is not CSV at all (an unterminated quote, an endless record). */
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
  private readonly parser: Parser;
  private out: CsvRecord[] = [];
  /** The line the next record starts on, not counting blank lines before it. */
  private nextLine = 1;
  /** Blank lines csv-parse had skipped when the previous record ended. */
  private emptyLines = 0;

  constructor() {
    this.parser = new Parser({
      bom: true,
      // Ragged rows are the table reader's to report, with the row and the header's count.
      relax_column_count: true,
      // A stray quote inside an unquoted field is kept as text, as most readers do.
      relax_quotes: true,
      // LF, CRLF and CR in one file; csv-parse would otherwise keep the first one it sees.
      record_delimiter: ['\r\n', '\n', '\r'],
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      on_record: (fields: string[]) => {
        this.onRecord(fields);
        return null;
      },
    });
    // Errors are read back synchronously (`errored`) after each call; this keeps the
    // stream's own 'error' event, emitted a tick later, from going unhandled.
    this.parser.on('error', () => {});
  }

  /** Parse a chunk; returns the records completed by it. */
  push(chunk: string): CsvRecord[] {
    if (chunk.length > 0) this.parser.write(chunk);
    return this.take();
  }

  /** Finish: returns the last record when the text did not end with a newline. */
  end(): CsvRecord[] {
    this.parser.end();
    return this.take();
  }

  private take(): CsvRecord[] {
    const { errored } = this.parser;
    if (errored !== null) throw this.syntaxError(errored);
    const out = this.out;
    this.out = [];
    return out;
  }

  private onRecord(fields: string[]): void {
    // csv-parse counts CRLF inside quotes as two lines; count as the old reader did and as
    // editors do: each LF in a quoted field, plus one line per record and per blank line.
    const empty = this.parser.info.empty_lines;
    const line = this.nextLine + (empty - this.emptyLines);
    this.emptyLines = empty;
    let breaks = 0;
    for (const field of fields) {
      let at = field.indexOf('\n');
      while (at !== -1) {
        breaks += 1;
        at = field.indexOf('\n', at + 1);
      }
    }
    this.nextLine = line + breaks + 1;
    this.out.push({ fields, line });
  }

  private syntaxError(error: Error): CsvSyntaxError {
    const line = this.nextLine + (this.parser.info.empty_lines - this.emptyLines);
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new CsvSyntaxError(`unterminated quoted field starting on line ${line}`, line);
    }
    if (error instanceof CsvError && error.code === 'CSV_MAX_RECORD_SIZE') {
      return new CsvSyntaxError(
        `the record starting on line ${line} is longer than ${MAX_RECORD_BYTES} bytes (unterminated quote?)`,
        line,
      );
    }
    return new CsvSyntaxError(`line ${line}: ${error.message}`, line);
  }
}

/** Parse a whole CSV text at once (header included). */
export function parseCsv(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}
