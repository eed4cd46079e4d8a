import { useMemo } from 'react';
import { getBuiltinAlgorithm, resolveHyperparameterSpec, type Job } from '@stratus/spec';
import { formatDuration } from '../lib/format.js';
import { useJobStream } from '../lib/use-job-stream.js';
import { CardSection } from './card-section.js';
import { DeployForm } from './deploy-form.js';
import { ErrorAlert } from './error-alert.js';
import { HyperparameterPlot } from './hyperparameter-plot.js';
import { JobTimeline } from './job-timeline.js';
import { LabelsEntry } from './labels-entry.js';
import { LogsPanel } from './logs-panel.js';
import { SpecToggle } from './spec-toggle.js';
import { TrainingCurve } from './training-curves.js';
import { TrialsTable } from './trials-table.js';

/** A training job's page body: overview, live curves, trials, hyperparameter plot, deploy, logs. */
export const TrainingJobSections = ({ job }: { job: Job }) => {
  const metrics = useJobStream('metrics', job.jobId);
  const input = job.trainingInput;
  const spec = useMemo(
    () =>
      input?.hyperparameters === undefined
        ? undefined
        : resolveHyperparameterSpec(input.hyperparameters, input.builtinAlgorithm?.name),
    [input],
  );
  const trials = job.trainingOutput?.trials ?? [];
  const objective =
    job.trainingOutput?.hyperparameterMetricTag ??
    spec?.hyperparameterMetricTag ??
    getBuiltinAlgorithm(input?.builtinAlgorithm?.name ?? '')?.defaultMetricTag ??
    'loss';
  const metricNames = [...new Set(metrics.entries.map((point) => point.name))];
  const curves = [...new Set(['loss', objective])].filter(
    (name) => metricNames.includes(name) || name === objective,
  );
  return (
    <>
      <CardSection title="Overview">
        <dl className="overview">
          <dt>Algorithm</dt>
          <dd>{input?.builtinAlgorithm?.name ?? input?.pythonModule ?? input?.module ?? '—'}</dd>
          <dt>Training data</dt>
          <dd>{input?.builtinAlgorithm?.trainingData ?? '—'}</dd>
          <dt>Job directory</dt>
          <dd>{input?.jobDir}</dd>
          <dt>Scale tier</dt>
          <dd>{input?.scaleTier ?? 'BASIC'}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(job.startTime ?? job.createTime, job.endTime)}</dd>
          {spec === undefined ? null : (
            <>
              <dt>Trials</dt>
              <dd>
                {job.trainingOutput?.completedTrialCount ?? '0'} completed of {spec.maxTrials}
              </dd>
            </>
          )}
          <LabelsEntry labels={job.labels} />
        </dl>
        <JobTimeline job={job} />
        <SpecToggle spec={input} />
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
            bestTrialId={job.trainingOutput?.bestTrialId}
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
        {job.state === 'SUCCEEDED' ? (
          <DeployForm jobId={job.jobId} title="Deploy best trial" />
        ) : (
          <p>The best trial can be deployed once the job has SUCCEEDED.</p>
        )}
      </CardSection>

      <CardSection title="Logs">
        <LogsPanel jobId={job.jobId} trialIds={trials.map((trial) => trial.trialId)} />
      </CardSection>
    </>
  );
};
