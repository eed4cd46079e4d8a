import { createHash } from 'node:crypto';
import { JOB_STATES, fieldError, type JobState, type StratusError } from '@stratus/spec';

/** A parsed list filter: every condition must hold (AND). */
export interface JobFilter {
  readonly states: readonly JobState[];
  readonly labels: readonly (readonly [key: string, value: string])[];
}

const TERM = /^([A-Za-z][\w.-]*)\s*([=:])\s*(?:"([^"]*)"|([^\s"()]+))\s*/;
const LABEL = /^[a-z0-9_-]{0,63}$/;

const badFilter = (description: string): StratusError =>
  fieldError('INVALID_ARGUMENT', 'filter', description);

/**
 * Parse `state=RUNNING AND labels.team=x` (AIP-160 style: `=` or `:`,
 * optional double quotes, terms joined by AND or whitespace).
 */
export const parseJobFilter = (filter: string | undefined): JobFilter => {
  const states: JobState[] = [];
  const labels: [string, string][] = [];
  let rest = (filter ?? '').trim();
  while (rest.length > 0) {
    const match = TERM.exec(rest);
    if (match === null) throw badFilter(`cannot parse "${rest}"; expected field=value`);
    const field = match[1] ?? '';
    const value = match[3] ?? match[4] ?? '';
    if (field === 'state') {
      const state = JOB_STATES.find((candidate) => candidate === value);
      if (state === undefined) {
        throw badFilter(`state "${value}" is not one of ${JOB_STATES.join(', ')}`);
      }
      states.push(state);
    } else if (field.startsWith('labels.')) {
      const key = field.slice('labels.'.length);
      if (!LABEL.test(key) || key.length === 0 || !LABEL.test(value)) {
        throw badFilter(`label condition ${field}=${value} is not a valid label`);
      }
      labels.push([key, value]);
    } else {
      throw badFilter(`unknown field "${field}"; use state or labels.<key>`);
    }
    rest = rest.slice(match[0].length).replace(/^AND\s+/, '');
  }
  return { states: [...new Set(states)], labels };
};

/** A short digest of the filter, so a page token is not reused with another filter. */
const fingerprint = (filter: JobFilter): string => {
  const terms = [
    ...filter.states.map((state) => `state=${state}`),
    ...filter.labels.map(([key, value]) => `labels.${key}=${value}`),
  ].sort();
  return createHash('sha256').update(terms.join('\n')).digest('base64url').slice(0, 12);
};

/** The opaque `nextPageToken` for a list that continues below `cursor` (a score). */
export const encodePageToken = (cursor: string, filter: JobFilter): string =>
  Buffer.from(`v1:${cursor}:${fingerprint(filter)}`).toString('base64url');

/** The score cursor inside a page token; INVALID_ARGUMENT if it is malformed or from another filter. */
export const decodePageToken = (token: string, filter: JobFilter): string => {
  const [version, cursor = '', digest] = Buffer.from(token, 'base64url').toString().split(':');
  if (version !== 'v1' || !/^[0-9]{1,17}$/.test(cursor)) {
    throw fieldError('INVALID_ARGUMENT', 'pageToken', 'is malformed', {
      detail: 'pageToken is not a token this server issued',
    });
  }
  if (digest !== fingerprint(filter)) {
    throw fieldError('INVALID_ARGUMENT', 'pageToken', 'belongs to another filter', {
      detail: 'pageToken was issued for a different filter',
    });
  }
  return cursor;
};
