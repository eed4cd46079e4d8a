import { useEffect, useRef, useState } from 'react';
import { useJobStream } from '../lib/use-job-stream.js';
import { ErrorAlert } from './error-alert.js';
import { Options } from './options.js';

/** A job's log lines, live, filtered by trial, scrolled to the newest while following. */
export const LogsPanel = ({ jobId, trialIds }: { jobId: string; trialIds: readonly string[] }) => {
  const [trial, setTrial] = useState('');
  const [follow, setFollow] = useState(true);
  const logs = useJobStream('logs', jobId, trial === '' ? undefined : trial);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (follow && box.current !== null) box.current.scrollTop = box.current.scrollHeight;
  }, [logs.entries, follow]);
  return (
    <div className="logs">
      <div className="filters">
        <label>
          Trial
          <select value={trial} onChange={(event) => setTrial(event.target.value)}>
            <option value="">All trials</option>
            <Options values={trialIds} label={(id) => `Trial ${id}`} />
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={follow}
            onChange={(event) => setFollow(event.target.checked)}
          />
          Follow
        </label>
        <span className="muted">
          {logs.entries.length} lines{logs.ended ? '' : ' · live'}
        </span>
      </div>
      <ErrorAlert error={logs.error} />
      <div className="log-lines" ref={box} tabIndex={0} aria-label="Job logs" role="log">
        {logs.entries.map((entry, i) => (
          <div key={i} className={`log-line sev-${entry.severity.toLowerCase()}`}>
            <time>{new Date(entry.time).toLocaleTimeString()}</time>
            {entry.trialId === undefined ? null : <span className="trial">[{entry.trialId}]</span>}
            <span>{entry.message}</span>
          </div>
        ))}
      </div>
    </div>
  );
};
