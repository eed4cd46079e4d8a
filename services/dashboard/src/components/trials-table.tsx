import { useState } from 'react';
import type { HyperparameterOutput } from '@stratus/spec';
import { formatDuration, formatNumber } from '../lib/format.js';
import { StateBadge } from './state-badge.js';

type Sort = 'trial' | 'objective-desc' | 'objective-asc';

/** A hyperparameter as reported (a string): numbers shortened, lists and words as they are. */
const formatValue = (value: string): string => {
  const number = Number(value);
  return value.trim() !== '' && Number.isFinite(number) ? formatNumber(number) : value;
};

/** Trials with their hyperparameters and objective, sortable by objective. */
export const TrialsTable = ({
  trials,
  bestTrialId,
  goal,
}: {
  trials: readonly HyperparameterOutput[];
  bestTrialId: string | undefined;
  goal: 'MAXIMIZE' | 'MINIMIZE';
}) => {
  const [sort, setSort] = useState<Sort>('trial');
  const names = [...new Set(trials.flatMap((trial) => Object.keys(trial.hyperparameters)))];
  const objective = (trial: HyperparameterOutput): number =>
    trial.finalMetric?.objectiveValue ?? Number.NaN;
  const sorted = [...trials].sort((a, b) => {
    if (sort === 'trial') return Number(a.trialId) - Number(b.trialId);
    const [x, y] = [objective(a), objective(b)];
    if (Number.isNaN(x)) return 1;
    if (Number.isNaN(y)) return -1;
    return sort === 'objective-desc' ? y - x : x - y;
  });
  const nextSort: Sort =
    sort === 'trial'
      ? goal === 'MAXIMIZE'
        ? 'objective-desc'
        : 'objective-asc'
      : sort === 'objective-desc'
        ? 'objective-asc'
        : 'objective-desc';
  return (
    <div className="table-wrap">
      <table className="trials-table">
        <thead>
          <tr>
            <th scope="col" aria-sort={sort === 'trial' ? 'ascending' : 'none'}>
              <button type="button" className="link" onClick={() => setSort('trial')}>
                Trial
              </button>
            </th>
            <th scope="col">State</th>
            {names.map((name) => (
              <th scope="col" key={name}>
                {name}
              </th>
            ))}
            <th
              scope="col"
              aria-sort={
                sort === 'objective-desc'
                  ? 'descending'
                  : sort === 'objective-asc'
                    ? 'ascending'
                    : 'none'
              }
            >
              <button type="button" className="link" onClick={() => setSort(nextSort)}>
                Objective {sort === 'objective-desc' ? '↓' : sort === 'objective-asc' ? '↑' : ''}
              </button>
            </th>
            <th scope="col" className="num">
              Epochs
            </th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((trial) => (
            <tr key={trial.trialId} data-trial-id={trial.trialId}>
              <td>
                {trial.trialId}
                {trial.trialId === bestTrialId ? (
                  <span className="best" title="best trial">
                    ★ best
                  </span>
                ) : null}
              </td>
              <td>
                <StateBadge state={trial.state} />
                {trial.isTrialStoppedEarly === true ? (
                  <span className="badge stopped" title="stopped early by the job's stopping rule">
                    {trial.finalMetric?.trainingStep === undefined
                      ? 'stopped early'
                      : `stopped at step ${trial.finalMetric.trainingStep}`}
                  </span>
                ) : null}
              </td>
              {names.map((name) => {
                const value = trial.hyperparameters[name];
                // A conditional parameter its parent's value left out of this trial.
                return value === undefined ? (
                  <td key={name} className="inactive" title="inactive in this trial">
                    —
                  </td>
                ) : (
                  <td key={name}>{formatValue(value)}</td>
                );
              })}
              <td className="num objective">{formatNumber(trial.finalMetric?.objectiveValue)}</td>
              <td className="num">{trial.finalMetric?.trainingStep ?? '—'}</td>
              <td>{formatDuration(trial.startTime, trial.endTime)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
