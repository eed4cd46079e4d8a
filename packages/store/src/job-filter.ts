import {
  JOB_FILTER_FIELDS,
  JOB_STATES,
  parseListFilter,
  type FilterExpression,
  type FilterRecord,
  type Job,
  type JobState,
  type ListFilter,
} from '@stratus/spec';

/** A job list's filter, and the Redis indexes that answer it when they can. */
export interface JobFilter {
  readonly filter: ListFilter;
  /**
   * Set when the filter is a conjunction of `state=` and `labels.<key>=`
   * equalities: the state and label indexes then answer it (list-jobs.lua).
   */
  readonly indexed?: {
    readonly states: readonly JobState[];
    readonly labels: readonly (readonly [key: string, value: string])[];
  };
}

/** What a label index key may hold (keys.ts refuses anything else). */
const isLabelPart = (text: string): boolean =>
  text.length <= 63 &&
  [...text].every(
    (char) =>
      (char >= 'a' && char <= 'z') || (char >= '0' && char <= '9') || char === '_' || char === '-',
  );

/** The state and label equalities of a pure conjunction (none for no filter); undefined if it is anything else. */
const indexedTerms = (expression: FilterExpression | undefined): JobFilter['indexed'] => {
  // No filter: the project's job index itself.
  if (expression === undefined) return { states: [], labels: [] };
  const terms = expression.kind === 'and' ? expression.operands : [expression];
  const states: JobState[] = [];
  const labels: [string, string][] = [];
  for (const term of terms) {
    if (term.kind !== 'restriction') return undefined;
    const { field, comparator, value } = term;
    if (comparator !== '=' && (comparator !== ':' || value.endsWith('*'))) return undefined;
    const state = JOB_STATES.find((candidate) => candidate === value);
    if (field === 'state' && state !== undefined) {
      states.push(state);
    } else if (field.startsWith('labels.') && isLabelPart(field.slice(7)) && isLabelPart(value)) {
      labels.push([field.slice(7), value]);
    } else {
      return undefined;
    }
  }
  return { states: [...new Set(states)], labels };
};

/**
 * Parse a job list filter (AIP-160: `jobId`, `state`, `createTime`,
 * `labels.<key>`); INVALID_ARGUMENT on `filter` naming what is wrong.
 */
export const parseJobFilter = (text: string | undefined): JobFilter => {
  const filter = parseListFilter(text, JOB_FILTER_FIELDS);
  const indexed = indexedTerms(filter.expression);
  return indexed === undefined ? { filter } : { filter, indexed };
};

/** The fields of a job that a filter tests. */
export const jobFilterRecord = (job: Job): FilterRecord => ({
  jobId: job.jobId,
  state: job.state,
  createTime: job.createTime,
  labels: job.labels ?? {},
});
