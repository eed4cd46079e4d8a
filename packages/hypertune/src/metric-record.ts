/**
 * One line of the cloudml-hypertune metrics file, as the Python package
 * writes it (`json.dumps(body, sort_keys=True)`), e.g.
 * `{"checkpoint_path": "", "global_step": "3", "accuracy": "0.9", "timestamp": 1525851440.12, "trial": "1"}`.
 * Values and steps are strings; the timestamp is seconds since the epoch.
 */

/** cloudml-hypertune's tag when none is given. */
export const DEFAULT_METRIC_TAG = 'training/hptuning/metric';

const RESERVED_KEYS = new Set(['timestamp', 'trial', 'global_step', 'checkpoint_path']);

/** One reported metric value. */
export interface HypertuneMetric {
  readonly tag: string;
  readonly value: number;
  /** `global_step`; 0 when the trainer gave none (as cloudml-hypertune writes it). */
  readonly step: number;
  readonly trial: string;
  /** Seconds since the epoch, as written by the trainer. */
  readonly timestamp: number;
  readonly checkpointPath: string;
}

/** Python's `str(float(v))`, so files read the same as ones written by cloudml-hypertune. */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e16 || abs < 1e-4) {
    // Python pads the exponent to two digits: 1e-05, 1.5e+17.
    return value.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

/** Non-ASCII UTF-16 code units, which Python's `json.dumps` (`ensure_ascii`) writes as `\uXXXX`. */
const NON_ASCII = /[\u0080-\uffff]/g;

const pythonString = (text: string): string =>
  JSON.stringify(text).replace(
    NON_ASCII,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * Serialises one metric as a cloudml-hypertune JSON line (without the newline), byte for byte
 * as Python's `json.dumps(body, sort_keys=True)` writes it: `", "` and `": "` separators,
 * non-ASCII escaped, the timestamp as Python's `repr(float)`.
 */
export function formatMetricLine(metric: HypertuneMetric): string {
  const body: Record<string, string> = {
    checkpoint_path: pythonString(metric.checkpointPath),
    global_step: pythonString(String(metric.step)),
    [metric.tag]: pythonString(formatPythonFloat(metric.value)),
    timestamp: formatPythonFloat(metric.timestamp),
    trial: pythonString(metric.trial),
  };
  const fields = Object.keys(body)
    .sort()
    .map((key) => `${pythonString(key)}: ${body[key] ?? ''}`);
  return `{${fields.join(', ')}}`;
}

const PYTHON_SPECIALS: Readonly<Record<string, number>> = {
  nan: Number.NaN,
  '+nan': Number.NaN,
  '-nan': Number.NaN,
  inf: Infinity,
  '+inf': Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-inf': -Infinity,
  '-infinity': -Infinity,
};

/** Reads a value the way Python's `float()` would; undefined when it is not a number. */
export function parsePythonFloat(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  const special = PYTHON_SPECIALS[text.toLowerCase()];
  if (special !== undefined) return special;
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

/**
 * Parses one line into its metrics (cloudml-hypertune writes one tag per line; a line with
 * several tags yields one metric each). Undefined when the line is not a metric record.
 */
export function parseMetricLine(line: string): HypertuneMetric[] | undefined {
  let body: unknown;
  try {
    body = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = body as Record<string, unknown>;
  const step = fields.global_step === undefined ? 0 : parsePythonFloat(fields.global_step);
  const timestamp = parsePythonFloat(fields.timestamp) ?? 0;
  if (step === undefined) return undefined;
  const trial = fields.trial === undefined ? '0' : String(fields.trial);
  const checkpointPath = typeof fields.checkpoint_path === 'string' ? fields.checkpoint_path : '';
  const metrics: HypertuneMetric[] = [];
  for (const [tag, raw] of Object.entries(fields)) {
    if (RESERVED_KEYS.has(tag)) continue;
    const value = parsePythonFloat(raw);
    if (value === undefined) return undefined;
    metrics.push({ tag, value, step, trial, timestamp, checkpointPath });
  }
  return metrics.length === 0 ? undefined : metrics;
}

/** What `parseMetricsText` found in a metrics file's content. */
export interface ParsedMetrics {
  readonly metrics: HypertuneMetric[];
  /** Complete lines that were not metric records. */
  readonly invalidLines: number;
  /** Bytes after the last newline that did not parse yet (a write in progress). */
  readonly pendingText: string;
}

/**
 * Parses a metrics file's content. An unterminated last line is taken when it parses and
 * otherwise returned as `pendingText`, since the trainer may be half-way through writing it.
 */
export function parseMetricsText(text: string): ParsedMetrics {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const metrics: HypertuneMetric[] = [];
  let invalidLines = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const parsed = parseMetricLine(line);
    if (parsed === undefined) invalidLines += 1;
    else metrics.push(...parsed);
  }
  const tail = last.trim() === '' ? undefined : parseMetricLine(last);
  if (tail !== undefined) metrics.push(...tail);
  return { metrics, invalidLines, pendingText: tail === undefined ? last : '' };
}
