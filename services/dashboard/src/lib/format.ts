import { StratusApiError } from '@stratus/client';

/** A timestamp as local date and time, or an em dash. */
export const formatTime = (iso: string | undefined): string =>
  iso === undefined || iso === '' ? '—' : new Date(iso).toLocaleString();

/** A duration between two timestamps (`end` defaults to now), e.g. `1m 05s`. */
export const formatDuration = (start: string | undefined, end?: string): string => {
  if (start === undefined || start === '') return '—';
  const ms = (end === undefined || end === '' ? Date.now() : Date.parse(end)) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
};

/** A number with at most 4 significant digits. */
export const formatNumber = (value: number | undefined): string =>
  value === undefined || !Number.isFinite(value) ? '—' : String(Number(value.toPrecision(4)));

/** The message to show for a failed call. */
export const errorMessage = (error: unknown): string =>
  error instanceof StratusApiError
    ? `${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);

/** The last segment of a resource name (`projects/p/models/m` → `m`). */
export const shortName = (name: string): string => name.split('/').pop() ?? name;
