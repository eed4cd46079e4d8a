import { useQuery } from '@tanstack/react-query';
import { useClient } from '../lib/client-context.js';
import { errorMessage, formatTime } from '../lib/format.js';

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
      {workers.error === null ? null : (
        <p className="error" role="alert">
          {errorMessage(workers.error)}
        </p>
      )}
      <section className="card" aria-labelledby="queues-title">
        <h2 id="queues-title">Queues</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" className="num">
                  Waiting
                </th>
                <th scope="col" className="num">
                  Running
                </th>
                <th scope="col" className="num">
                  Delayed (retry)
                </th>
              </tr>
            </thead>
            <tbody>
              {(data?.queues ?? []).map((queue) => (
                <tr key={queue.kind} data-queue={queue.kind}>
                  <td>{queue.kind}</td>
                  <td className="num">{queue.waiting}</td>
                  <td className="num">{queue.active}</td>
                  <td className="num">{queue.delayed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="workers-list-title">
        <h2 id="workers-list-title">Workers</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col">Host</th>
                <th scope="col">Backend</th>
                <th scope="col">GPU</th>
                <th scope="col">Queues</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Trials
                </th>
                <th scope="col">Last heartbeat</th>
              </tr>
            </thead>
            <tbody>
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
              {data !== undefined && data.workers.length === 0 ? (
                <tr>
                  <td colSpan={8}>No worker has sent a heartbeat recently.</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </section>
  );
};
