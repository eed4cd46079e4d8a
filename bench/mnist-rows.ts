// MNIST digits for the benches (the `mnist` package's 10,000 digits), and the CSV the
// dnn_classifier benches train on.
import { createRequire } from 'node:module';

interface MnistDigit {
  length: number;
  get(index: number): number[];
}
const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];

/** Rows of (784 pixels, digit), cycling through the digits. */
export function mnistRows(count: number): Array<{ pixels: number[]; digit: number }> {
  const rows: Array<{ pixels: number[]; digit: number }> = [];
  for (let i = 0; rows.length < count; i += 1) {
    const digit = i % 10;
    const set = digits[digit];
    if (set === undefined) continue;
    rows.push({ pixels: set.get(Math.floor(i / 10) % set.length), digit });
  }
  return rows;
}

/** `count` rows as a CSV: p0..p783 (0..255) and `digit`. */
export function mnistCsv(count: number): string {
  const header = [...Array.from({ length: 784 }, (_, i) => `p${i}`), 'digit'].join(',');
  const lines = mnistRows(count).map(
    (row) => `${row.pixels.map((v) => Math.round(v * 255)).join(',')},${row.digit}`,
  );
  return [header, ...lines].join('\n');
}
