import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  getBuiltinAlgorithm,
  isTerminalState,
  resolveHyperparameterSpec,
  type Job,
} from '@stratus/spec';
import { CardSection } from '../components/card-section.js';
import { DeployForm } from '../components/deploy-form.js';
import { ErrorAlert } from '../components/error-alert.js';
import { HyperparameterPlot } from '../components/hyperparameter-plot.js';
import { LogsPanel } from '../components/logs-panel.js';
import { StateBadge } from '../components/state-badge.js';
import { TrainingCurve } from '../components/training-curves.js';
import { TrialsTable } from '../components/trials-table.js';
import { useClient } from '../lib/client-context.js';
import { formatDuration, formatTime } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { useJobStream } from '../lib/use-job-stream.js';
import { CancelJobButton } from './jobs-page.js';

/** The states a job went through, with the times the resource records. */
const timeline = (job: Job): { state: string; time: string | undefined; reached: boolean }[] => {
  const finished = isTerminalState(job.state);
  const end = finished ? job.state : 'SUCCEEDED';
  return [
    { state: 'QUEUED', time: job.createTime, reached: true },
    {
      state: 'RUNNING',
      time: job.startTime,
      reached: job.startTime !== undefined || job.state === 'RUNNING' || finished,
    },
    ...(job.state === 'CANCELLING'
      ? [{ state: 'CANCELLING', time: undefined, reached: true }]
      : []),
    { state: end, time: job.endTime, reached: finished },
  ];
};

/** One job: overview, live curves, trials, hyperparameter plot, logs, deploy. */
export const JobPage = ({ jobId }: { jobId: string }) => {
  const { client } = useClient();
  const job = useQuery({
    queryKey: ['jobs', 'one', jobId],
    queryFn: () => client.jobs.get(jobId),
    refetchInterval: (query) =>
      query.state.data !== undefined && isTerminalState(query.state.data.state) ? false : 2000,
  });
  const metrics = useJobStream('metrics', jobId);
  const [showSpec, setShowSpec] = useState(false);
  const data = job.data;
  const spec = useMemo(
    () =>
      data?.trainingInput?.hyperparameters === undefined
        ? undefined
        : resolveHyperparameterSpec(
            data.trainingInput.hyperparameters,
            data.trainingInput?.builtinAlgorithm?.name,
          ),
    [data],
  );
  if (job.error !== null) return <ErrorAlert error={job.error} />;
  if (data === undefined) return <p>Loading job {jobId}…</p>;
  const trials = data.trainingOutput?.trials ?? [];
  const objective =
    data.trainingOutput?.hyperparameterMetricTag ??
    spec?.hyperparameterMetricTag ??
    getBuiltinAlgorithm(data.trainingInput?.builtinAlgorithm?.name ?? '')?.defaultMetricTag ??
    'loss';
  const metricNames = [...new Set(metrics.entries.map((point) => point.name))];
  const curves = [...new Set(['loss', objective])].filter(
    (name) => metricNames.includes(name) || name === objective,
  );
  return (
    <article className="job-page">
      <div className="page-head">
        <h1>
          <Link to="/jobs">Jobs</Link> / {data.jobId}
        </h1>
        <StateBadge state={data.state} />
        <CancelJobButton job={data} />
      </div>

      <CardSection title="Overview">
        <dl className="overview">
          <dt>Algorithm</dt>
          <dd>{data.trainingInput?.builtinAlgorithm?.name ?? data.trainingInput?.module ?? '—'}</dd>
          <dt>Training data</dt>
          <dd>{data.trainingInput?.builtinAlgorithm?.trainingData ?? '—'}</dd>
          <dt>Job directory</dt>
          <dd>{data.trainingInput?.jobDir}</dd>
          <dt>Scale tier</dt>
          <dd>{data.trainingInput?.scaleTier ?? 'BASIC'}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(data.startTime ?? data.createTime, data.endTime)}</dd>
          <dt>Trials</dt>
          <dd>
            {data.trainingOutput?.completedTrialCount ?? '0'} completed
            {spec === undefined ? '' : ` of ${spec.maxTrials}`}
          </dd>
          {data.labels === undefined ? null : (
            <>
              <dt>Labels</dt>
              <dd>
                {Object.entries(data.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')}
              </dd>
            </>
          )}
        </dl>
        <ol className="timeline" aria-label="State timeline">
          {timeline(data).map((step) => (
            <li key={step.state} className={step.reached ? 'reached' : 'pending'}>
              <StateBadge state={step.state} />
              <span>{step.reached ? formatTime(step.time) : 'not yet'}</span>
            </li>
          ))}
        </ol>
        {data.errorMessage === undefined || data.errorMessage === '' ? null : (
          <p className="error" role="alert">
            {data.errorMessage}
          </p>
        )}
        <button type="button" className="secondary small" onClick={() => setShowSpec((s) => !s)}>
          {showSpec ? 'Hide spec' : 'Show spec'}
        </button>
        {showSpec ? (
          <pre className="spec">{JSON.stringify(data.trainingInput, null, 2)}</pre>
        ) : null}
      </CardSection>

      <CardSection title="Training curves">
        <ErrorAlert error={metrics.error} />
        <p className="muted" aria-live="polite">
          {metrics.entries.length} metric points{metrics.ended ? '' : ' · live'}
        </p>
        <div className="curves">
          {curves.map((metric) => (
            <TrainingCurve key={metric} points={metrics.entries} metric={metric} />
          ))}
        </div>
      </CardSection>

      <CardSection title="Trials">
        {trials.length === 0 ? (
          <p>No trial has finished yet.</p>
        ) : (
          <TrialsTable
            trials={trials}
            bestTrialId={data.trainingOutput?.bestTrialId}
            goal={spec?.goal === 'MINIMIZE' ? 'MINIMIZE' : 'MAXIMIZE'}
          />
        )}
      </CardSection>

      {spec === undefined ? null : (
        <CardSection title="Hyperparameters vs objective">
          <HyperparameterPlot params={spec.params} trials={trials} metric={objective} />
        </CardSection>
      )}

      <CardSection title="Deploy">
        {data.state === 'SUCCEEDED' ? (
          <DeployForm jobId={data.jobId} title="Deploy best trial" />
        ) : (
          <p>The best trial can be deployed once the job has SUCCEEDED.</p>
        )}
      </CardSection>

      <CardSection title="Logs">
        <LogsPanel jobId={data.jobId} trialIds={trials.map((trial) => trial.trialId)} />
      </CardSection>
    </article>
  );
};
