import { useQuery } from '@tanstack/react-query';
import { isTerminalState } from '@stratus/spec';
import { ErrorAlert } from '../components/error-alert.js';
import { PredictionJobSections } from '../components/prediction-job-sections.js';
import { StateBadge } from '../components/state-badge.js';
import { TrainingJobSections } from '../components/training-job-sections.js';
import { useClient } from '../lib/client-context.js';
import { Link } from '../lib/router.js';
import { CancelJobButton } from './jobs-page.js';

/**
 * One job, polled every 2 s until it ends: a training job's curves, trials and
 * deploy form, or a batch prediction job's progress and counts.
 */
export const JobPage = ({ jobId }: { jobId: string }) => {
  const { client } = useClient();
  const job = useQuery({
    queryKey: ['jobs', 'one', jobId],
    queryFn: () => client.jobs.get(jobId),
    refetchInterval: (query) =>
      query.state.data !== undefined && isTerminalState(query.state.data.state) ? false : 2000,
  });
  const data = job.data;
  if (job.error !== null) return <ErrorAlert error={job.error} />;
  if (data === undefined) return <p>Loading job {jobId}…</p>;
  return (
    <article className="job-page">
      <div className="page-head">
        <h1>
          <Link to="/jobs">Jobs</Link> / {data.jobId}
        </h1>
        <StateBadge state={data.state} />
        <CancelJobButton job={data} />
      </div>
      {data.predictionInput === undefined ? (
        <TrainingJobSections job={data} />
      ) : (
        <PredictionJobSections job={data} />
      )}
    </article>
  );
};
