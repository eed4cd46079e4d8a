import { Type } from '@sinclair/typebox';

/**
 * RFC 3339 UTC timestamps as Google APIs write them (`2024-05-01T12:00:00.123Z`).
 * No `format` keyword: TypeBox would need a registered format checker.
 */
export const TimestampSchema = Type.String({ description: 'RFC 3339 timestamp' });

/** int64 fields travel as decimal strings in Google's JSON (`"12"`). */
export const Int64StringSchema = Type.String({ pattern: '^-?[0-9]+$' });
