import { StratusError, type MetricPoint } from '@stratus/spec';
import { compact } from './compact.js';
import { assertTrialId } from './keys.js';
import { assertFinite } from './redis-util.js';

/** Cloud Logging's severities. */
export const LOG_SEVERITIES = [
  'DEFAULT',
  'DEBUG',
  'INFO',
  'NOTICE',
  'WARNING',
  'ERROR',
  'CRITICAL',
  'ALERT',
  'EMERGENCY',
] as const;
export type LogSeverity = (typeof LOG_SEVERITIES)[number];

/** One log line of a job (of one trial when `trialId` is set). */
export interface LogEntry {
  readonly trialId?: string;
  readonly severity: LogSeverity;
  readonly message: string;
  /** RFC 3339 */
  readonly time: string;
}

/** How one kind of entry travels as stream fields. */
export interface StreamCodec<T> {
  readonly kind: string;
  encode(entry: T): string[];
  decode(fields: Readonly<Record<string, string>>): T;
  trialId(entry: T): string | undefined;
}

export const logCodec: StreamCodec<LogEntry> = {
  kind: 'log',
  encode: (entry) => {
    if (!(LOG_SEVERITIES as readonly string[]).includes(entry.severity)) {
      throw new StratusError('INVALID_ARGUMENT', {
        detail: `severity "${entry.severity}" is not one of ${LOG_SEVERITIES.join(', ')}`,
      });
    }
    const trial = entry.trialId === undefined ? [] : ['trialId', assertTrialId(entry.trialId)];
    return [...trial, 'severity', entry.severity, 'message', entry.message, 'time', entry.time];
  },
  decode: (fields) =>
    compact<LogEntry>({
      trialId: fields.trialId,
      severity: (fields.severity ?? 'DEFAULT') as LogSeverity,
      message: fields.message ?? '',
      time: fields.time ?? '',
    }),
  trialId: (entry) => entry.trialId,
};

export const metricCodec: StreamCodec<MetricPoint> = {
  kind: 'metric',
  encode: (point) => [
    'trialId',
    assertTrialId(point.trialId),
    'step',
    String(Math.trunc(assertFinite('step', point.step))),
    'name',
    point.name,
    'value',
    String(point.value),
    'time',
    point.time,
  ],
  decode: (fields) => ({
    trialId: fields.trialId ?? '',
    step: Number(fields.step ?? '0'),
    name: fields.name ?? '',
    value: Number(fields.value ?? 'NaN'),
    time: fields.time ?? '',
  }),
  trialId: (point) => point.trialId,
};

/** The end marker the transition script writes when the job finishes (`end` = its state). */
export const END_FIELD = 'end';

/** Stream reply fields `[f1, v1, f2, v2…]` as a record. */
export const fieldsToRecord = (fields: readonly string[]): Record<string, string> => {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] ?? ''] = fields[i + 1] ?? '';
  return record;
};
