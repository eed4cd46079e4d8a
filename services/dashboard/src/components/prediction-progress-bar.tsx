import { isTerminalState, type Job } from '@stratus/spec';
import { predictionProgress, progressSummary } from '../lib/prediction-progress.js';

/** A batch prediction job's rows processed of its total, rate and shards, as a bar and a line. */
export const PredictionProgressBar = ({ job }: { job: Job }) => {
  const progress = predictionProgress(job);
  const live = !isTerminalState(job.state);
  return (
    <div className="prediction-progress">
      <progress
        max={100}
        value={progress.percent}
        aria-label="Rows processed"
        aria-valuetext={progressSummary(progress)}
      />
      <p className="progress-line" aria-live={live ? 'polite' : 'off'}>
        <span className="progress-rows">{progressSummary(progress)}</span>
        {progress.rowsPerSecond === undefined ? null : (
          <span className="progress-rate">
            {Math.round(progress.rowsPerSecond).toLocaleString('en-US')} rows/s
          </span>
        )}
        <span className="progress-shards">
          {progress.completedShards} of {progress.shardCount} shards completed
        </span>
      </p>
    </div>
  );
};
