import { useQuery } from '@tanstack/react-query';
import { CardSection } from '../components/card-section.js';
import { DataTable } from '../components/data-table.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useClient } from '../lib/client-context.js';
import { formatTime } from '../lib/format.js';

const QUEUE_COLUMNS = [
  'Queue',
  { label: 'Waiting', numeric: true },
  { label: 'Running', numeric: true },
  { label: 'Delayed (retry)', numeric: true },
];

const WORKER_COLUMNS = [
  'Worker',
  'Host',
  'Backend',
  'GPU',
  'Queues',
  'Status',
  { label: 'Trials', numeric: true },
  'Last heartbeat',
];

/** Live workers (backend, GPU, busy/idle, heartbeat) and the trial queues' depths. */
export const WorkersPage = () => {
  const { client } = useClient();
  const workers = useQuery({
    queryKey: ['workers'],
    queryFn: () => client.workers.list(),
    refetchInterval: 2000,
  });
  const data = workers.data;
  return (
    <section aria-labelledby="workers-title">
      <div className="page-head">
        <h1 id="workers-title">Workers</h1>
      </div>
      <ErrorAlert error={workers.error} />
      <CardSection title="Queues">
        <DataTable columns={QUEUE_COLUMNS}>
          {(data?.queues ?? []).map((queue) => (
            <tr key={queue.kind} data-queue={queue.kind}>
              <td>{queue.kind}</td>
              <td className="num">{queue.waiting}</td>
              <td className="num">{queue.active}</td>
              <td className="num">{queue.delayed}</td>
            </tr>
          ))}
        </DataTable>
      </CardSection>
      <CardSection title="Workers">
        <DataTable
          columns={WORKER_COLUMNS}
          empty={
            data !== undefined && data.workers.length === 0
              ? 'No worker has sent a heartbeat recently.'
              : undefined
          }
        >
          {(data?.workers ?? []).map((worker) => (
            <tr key={worker.workerId} data-worker={worker.workerId}>
              <td>{worker.workerId}</td>
              <td>
                {worker.host}
                {worker.pid === undefined ? null : ` (pid ${String(worker.pid)})`}
              </td>
              <td>{worker.backend}</td>
              <td>{worker.gpu ?? '—'}</td>
              <td>{worker.queues.join(', ')}</td>
              <td>
                <span className={worker.busyTrials > 0 ? 'badge state-running' : 'badge idle'}>
                  {worker.busyTrials > 0 ? 'busy' : 'idle'}
                </span>
              </td>
              <td className="num">
                {worker.busyTrials} / {worker.capacity}
              </td>
              <td>{formatTime(worker.lastHeartbeatTime)}</td>
            </tr>
          ))}
        </DataTable>
      </CardSection>
    </section>
  );
};
