import { isTerminalState, type Job } from '@stratus/spec';
import { formatTime } from '../lib/format.js';
import { StateBadge } from './state-badge.js';

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

/** A job's state timeline, its error message when it has one, and its input as JSON on demand. */
export const JobTimeline = ({ job }: { job: Job }) => (
  <>
    <ol className="timeline" aria-label="State timeline">
      {timeline(job).map((step) => (
        <li key={step.state} className={step.reached ? 'reached' : 'pending'}>
          <StateBadge state={step.state} />
          <span>{step.reached ? formatTime(step.time) : 'not yet'}</span>
        </li>
      ))}
    </ol>
    {job.errorMessage === undefined || job.errorMessage === '' ? null : (
      <p className="error" role="alert">
        {job.errorMessage}
      </p>
    )}
  </>
);
