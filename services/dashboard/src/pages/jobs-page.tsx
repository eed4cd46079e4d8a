import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { JOB_STATES, isTerminalState, type Job } from '@stratus/spec';
import { DataTable } from '../components/data-table.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Options } from '../components/options.js';
import { StateBadge } from '../components/state-badge.js';
import { BatchPredictionForm } from '../components/batch-prediction-form.js';
import { SubmitJobForm } from '../components/submit-job-form.js';
import { useClient } from '../lib/client-context.js';
import { formatDuration, formatNumber, formatTime } from '../lib/format.js';
import { predictionProgress, progressSummary } from '../lib/prediction-progress.js';
import { Link } from '../lib/router.js';

/** The best trial's objective (or the single trial's), when there is one. */
export const bestObjective = (job: Job): number | undefined => {
  const output = job.trainingOutput;
  const best = output?.trials?.find((trial) => trial.trialId === output.bestTrialId);
  return best?.finalMetric?.objectiveValue;
};

const algorithmOf = (job: Job): string =>
  job.trainingInput === undefined
    ? 'batch prediction'
    : (job.trainingInput.builtinAlgorithm?.name ??
      job.trainingInput.pythonModule ??
      job.trainingInput.module ??
      'custom');

const JOB_COLUMNS = [
  'Job',
  'State',
  'Algorithm',
  'Created',
  'Duration',
  'Result',
  { label: 'Actions', hidden: true },
];

/** A training job's best objective, or a batch prediction job's progress as a small bar. */
const JobResult = ({ job }: { job: Job }) => {
  if (job.predictionInput === undefined) return <>{formatNumber(bestObjective(job))}</>;
  const progress = predictionProgress(job);
  return (
    <span className="progress-cell">
      <progress
        max={100}
        value={progress.percent}
        aria-label={`Progress of ${job.jobId}`}
        aria-valuetext={progressSummary(progress)}
      />
      {progressSummary(progress)}
    </span>
  );
};

/** `team=demo, env=dev` → `labels.team=demo AND labels.env=dev`; undefined when malformed. */
const labelFilter = (text: string): string[] | undefined => {
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const clauses: string[] = [];
  for (const part of parts) {
    const match = /^([a-z][a-z0-9_-]*)=([a-z0-9_-]*)$/.exec(part);
    if (match === null) return undefined;
    clauses.push(`labels.${match[1]}=${match[2]}`);
  }
  return clauses;
};

export const CancelJobButton = ({ job }: { job: Job }) => {
  const { client } = useClient();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => client.jobs.cancel(job.jobId),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['jobs'] }),
  });
  if (isTerminalState(job.state) || job.state === 'CANCELLING') return null;
  return (
    <>
      <button
        type="button"
        className="danger small"
        aria-label={`Cancel job ${job.jobId}`}
        disabled={cancel.isPending}
        onClick={() => cancel.mutate()}
      >
        Cancel
      </button>
      <ErrorAlert error={cancel.error} inline />
    </>
  );
};

/** Jobs: filters, server-side paging, training and batch prediction forms, cancel. */
export const JobsPage = () => {
  const { client, project } = useClient();
  const [state, setState] = useState('');
  const [labelsText, setLabelsText] = useState('');
  const [appliedLabels, setAppliedLabels] = useState<string[]>([]);
  const [labelsError, setLabelsError] = useState<string>();
  const [pageSize, setPageSize] = useState(25);
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [form, setForm] = useState<'training' | 'prediction' | undefined>();
  const pageToken = tokens[tokens.length - 1];
  const filter = [...(state === '' ? [] : [`state=${state}`]), ...appliedLabels].join(' AND ');
  const jobs = useQuery({
    queryKey: ['jobs', project, filter, pageSize, pageToken],
    queryFn: () =>
      client.jobs.list({
        pageSize,
        ...(filter === '' ? {} : { filter }),
        ...(pageToken === undefined ? {} : { pageToken }),
      }),
    placeholderData: keepPreviousData,
    refetchInterval: 3000,
  });
  const resetPaging = (): void => setTokens([undefined]);
  const applyLabels = (event: FormEvent): void => {
    event.preventDefault();
    const clauses = labelFilter(labelsText);
    if (clauses === undefined) {
      setLabelsError('Write labels as key=value, separated by commas');
      return;
    }
    setLabelsError(undefined);
    setAppliedLabels(clauses);
    resetPaging();
  };
  const next = jobs.data?.nextPageToken;
  return (
    <section aria-labelledby="jobs-title">
      <div className="page-head">
        <h1 id="jobs-title">Jobs</h1>
        <button
          type="button"
          onClick={() => setForm((shown) => (shown === 'training' ? undefined : 'training'))}
        >
          {form === 'training' ? 'Close form' : 'Submit job'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setForm((shown) => (shown === 'prediction' ? undefined : 'prediction'))}
        >
          {form === 'prediction' ? 'Close batch prediction form' : 'New batch prediction'}
        </button>
      </div>
      {form === 'training' ? <SubmitJobForm onClose={() => setForm(undefined)} /> : null}
      {form === 'prediction' ? <BatchPredictionForm onClose={() => setForm(undefined)} /> : null}
      <div className="filters">
        <label>
          State
          <select
            value={state}
            onChange={(event) => {
              setState(event.target.value);
              resetPaging();
            }}
          >
            <option value="">All states</option>
            <Options values={JOB_STATES} />
          </select>
        </label>
        <form onSubmit={applyLabels} className="inline-form">
          <label>
            Labels
            <input
              value={labelsText}
              placeholder="team=demo"
              aria-invalid={labelsError !== undefined}
              aria-describedby={labelsError === undefined ? undefined : 'labels-filter-error'}
              onChange={(event) => setLabelsText(event.target.value)}
            />
          </label>
          <button type="submit" className="secondary">
            Filter
          </button>
          {labelsError === undefined ? null : (
            <span id="labels-filter-error" className="field-error">
              {labelsError}
            </span>
          )}
        </form>
        <label>
          Per page
          <select
            value={pageSize}
            onChange={(event) => {
              setPageSize(Number(event.target.value));
              resetPaging();
            }}
          >
            <Options values={[10, 25, 50, 100]} />
          </select>
        </label>
      </div>
      <ErrorAlert error={jobs.error} />
      <DataTable
        columns={JOB_COLUMNS}
        className="jobs-table"
        empty={
          jobs.data?.jobs.length === 0
            ? `No jobs${filter === '' ? '' : ' match the filter'}.`
            : undefined
        }
      >
        {(jobs.data?.jobs ?? []).map((job) => (
          <tr key={job.jobId} data-job-id={job.jobId}>
            <td>
              <Link to={`/jobs/${encodeURIComponent(job.jobId)}`}>{job.jobId}</Link>
            </td>
            <td>
              <StateBadge state={job.state} />
            </td>
            <td>{algorithmOf(job)}</td>
            <td>{formatTime(job.createTime)}</td>
            <td>{formatDuration(job.startTime ?? job.createTime, job.endTime)}</td>
            <td>
              <JobResult job={job} />
            </td>
            <td>
              <CancelJobButton job={job} />
            </td>
          </tr>
        ))}
      </DataTable>
      <div className="pager">
        <button
          type="button"
          className="secondary"
          disabled={tokens.length <= 1}
          onClick={() => setTokens((list) => list.slice(0, -1))}
        >
          Previous page
        </button>
        <span>Page {tokens.length}</span>
        <button
          type="button"
          className="secondary"
          disabled={next === undefined}
          onClick={() => next !== undefined && setTokens((list) => [...list, next])}
        >
          Next page
        </button>
      </div>
    </section>
  );
};
