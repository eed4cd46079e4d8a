import { Type, type Static } from '@sinclair/typebox';
import { TimestampSchema } from './timestamp.js';

/** One log line of a job, of one trial when `trialId` is set (`GET …/jobs/{j}/logs`). */
export const LogEntrySchema = Type.Object(
  {
    trialId: Type.Optional(Type.String()),
    severity: Type.String({
      description:
        "Cloud Logging's severity: DEFAULT, DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT or EMERGENCY",
    }),
    message: Type.String(),
    time: TimestampSchema,
  },
  { $id: 'LogEntry' },
);
export type JobLogEntry = Static<typeof LogEntrySchema>;

/** A page of log entries; `nextPageToken` (a stream id) continues after the last one. */
export const ListLogsResponseSchema = Type.Object(
  { entries: Type.Array(LogEntrySchema), nextPageToken: Type.Optional(Type.String()) },
  { $id: 'ListLogsResponse' },
);
export type ListLogsResponse = Static<typeof ListLogsResponseSchema>;
