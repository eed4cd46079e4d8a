/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line,
 * so a child that writes a gigabyte with no newline costs the parent nothing.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  /** Bytes of the current line, including those not kept. */
  private seen = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly emit: (line: string, bytes: number, truncated: boolean) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      this.keep(chunk.subarray(start, end));
      if (newline === -1) return;
      this.flushLine();
      start = newline + 1;
    }
  }

  /** Emits a last line that had no newline. */
  end(): void {
    if (this.seen > 0) this.flushLine();
  }

  private keep(piece: Buffer): void {
    this.seen += piece.length;
    const room = this.maxLineBytes - this.kept;
    if (room <= 0 || piece.length === 0) return;
    // Copy: a subarray would pin the whole 64 KiB chunk it came from.
    const taken = Buffer.from(piece.subarray(0, room));
    this.parts.push(taken);
    this.kept += taken.length;
  }

  private flushLine(): void {
    let text = Buffer.concat(this.parts, this.kept).toString('utf8');
    const truncated = this.seen > this.maxLineBytes;
    if (!truncated && text.endsWith('\r')) text = text.slice(0, -1);
    const bytes = this.seen;
    this.parts = [];
    this.kept = 0;
    this.seen = 0;
    this.emit(text, bytes, truncated);
  }
}
