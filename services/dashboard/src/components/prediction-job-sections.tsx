import type { Job } from '@stratus/spec';
import { formatDuration, formatNumber } from '../lib/format.js';
import { predictionModel, predictionProgress } from '../lib/prediction-progress.js';
import { CardSection } from './card-section.js';
import { JobTimeline } from './job-timeline.js';
import { LabelsEntry } from './labels-entry.js';
import { PredictionProgressBar } from './prediction-progress-bar.js';
import { SpecToggle } from './spec-toggle.js';

/** The batch size a job runs with when its input names none (the API's default). */
const DEFAULT_BATCH_SIZE = 64;

/**
 * A batch prediction job's page body: what it scores and where it writes,
 * its progress while it runs, and the counts it reports. The page around it
 * polls the job, so the bar moves without a reload.
 */
export const PredictionJobSections = ({ job }: { job: Job }) => {
  const input = job.predictionInput;
  const progress = predictionProgress(job);
  return (
    <>
      <CardSection title="Overview">
        <dl className="overview">
          <dt>Kind</dt>
          <dd>Batch prediction</dd>
          <dt>Model</dt>
          <dd className="prediction-model">{predictionModel(job)}</dd>
          <dt>Data format</dt>
          <dd>
            {input?.dataFormat ?? '—'} → {input?.outputDataFormat ?? 'JSON'}
          </dd>
          <dt>Input paths</dt>
          <dd>
            <ul className="plain-list">
              {(input?.inputPaths ?? []).map((path) => (
                <li key={path}>{path}</li>
              ))}
            </ul>
          </dd>
          <dt>Output path</dt>
          <dd>{job.predictionOutput?.outputPath ?? input?.outputPath}</dd>
          <dt>Batch size</dt>
          <dd>{input?.batchSize ?? DEFAULT_BATCH_SIZE}</dd>
          <dt>Max workers</dt>
          <dd>{input?.maxWorkerCount ?? 'no limit'}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(job.startTime ?? job.createTime, job.endTime)}</dd>
          <LabelsEntry labels={job.labels} />
        </dl>
        <JobTimeline job={job} />
        <SpecToggle spec={input} />
      </CardSection>

      <CardSection title="Progress">
        <PredictionProgressBar job={job} />
        <dl className="overview prediction-counts">
          <dt>Predictions</dt>
          <dd data-count="predictions">{progress.predictionCount.toLocaleString('en-US')}</dd>
          <dt>Errors</dt>
          <dd data-count="errors">{progress.errorCount.toLocaleString('en-US')}</dd>
          <dt>Node hours</dt>
          <dd data-count="node-hours">{formatNumber(progress.nodeHours)}</dd>
        </dl>
      </CardSection>
    </>
  );
};
