import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Model, Version } from '@stratus/spec';
import { DataTable } from '../components/data-table.js';
import { DeployForm, FRAMEWORK_LABELS } from '../components/deploy-form.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Options } from '../components/options.js';
import { PredictForm } from '../components/predict-form.js';
import { StateBadge } from '../components/state-badge.js';
import { useClient } from '../lib/client-context.js';
import { modelsQuery, versionsQuery } from '../lib/model-queries.js';
import { formatTime, shortName } from '../lib/format.js';
import { Link } from '../lib/router.js';

const VERSION_COLUMNS = [
  'Version',
  'State',
  'Default',
  'Framework',
  'Source',
  'Created',
  { label: 'Actions', hidden: true },
];

const VersionRow = ({ model, version }: { model: string; version: Version }) => {
  const { client } = useClient();
  const queryClient = useQueryClient();
  const name = shortName(version.name);
  const refresh = (): Promise<void> => queryClient.invalidateQueries({ queryKey: ['models'] });
  const setDefault = useMutation({
    mutationFn: () => client.versions.setDefault(model, name),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => client.versions.delete(model, name),
    onSettled: refresh,
  });
  const failure = setDefault.error ?? remove.error;
  return (
    <tr data-version={name}>
      <td>{name}</td>
      <td>
        <StateBadge state={version.state} />
        {version.errorMessage === undefined || version.errorMessage === '' ? null : (
          <span className="error"> {version.errorMessage}</span>
        )}
      </td>
      <td>{version.isDefault === true ? <span className="badge default">default</span> : null}</td>
      <td>{FRAMEWORK_LABELS[version.framework]}</td>
      <td>
        {version.sourceJob === undefined ? (
          (version.deploymentUri ?? '—')
        ) : (
          <Link to={`/jobs/${encodeURIComponent(version.sourceJob.jobId)}`}>
            {version.sourceJob.jobId}
            {version.sourceJob.trialId === undefined ? '' : ` #${version.sourceJob.trialId}`}
          </Link>
        )}
      </td>
      <td>{formatTime(version.createTime)}</td>
      <td className="row-actions">
        <div>
          {version.isDefault === true || version.state !== 'READY' ? null : (
            <button
              type="button"
              className="secondary small"
              aria-label={`Make ${name} the default version of ${model}`}
              disabled={setDefault.isPending}
              onClick={() => setDefault.mutate()}
            >
              Set default
            </button>
          )}
          <button
            type="button"
            className="danger small"
            aria-label={`Delete version ${name} of ${model}`}
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Delete version ${name} of ${model}?`)) remove.mutate();
            }}
          >
            Delete
          </button>
          <ErrorAlert error={failure} inline />
        </div>
      </td>
    </tr>
  );
};

const ModelCard = ({ model }: { model: Model }) => {
  const { client, project } = useClient();
  const queryClient = useQueryClient();
  const name = shortName(model.name);
  const versions = useQuery({
    ...versionsQuery(client, project, name),
    refetchInterval: (query) =>
      query.state.data?.versions.some((v) => v.state === 'CREATING' || v.state === 'DELETING') ===
      true
        ? 1000
        : 5000,
  });
  const remove = useMutation({
    mutationFn: () => client.models.delete(name),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['models'] }),
  });
  const list = versions.data?.versions ?? [];
  const ready = list.filter((v) => v.state === 'READY');
  const [chosen, setChosen] = useState<string>();
  const target =
    chosen ??
    (model.defaultVersion === undefined ? undefined : shortName(model.defaultVersion.name)) ??
    (ready[0] === undefined ? undefined : shortName(ready[0].name));
  return (
    <section className="card model-card" data-model={name} aria-labelledby={`model-${name}`}>
      <div className="page-head">
        <h2 id={`model-${name}`}>{name}</h2>
        {model.description === undefined ? null : (
          <span className="muted">{model.description}</span>
        )}
        <button
          type="button"
          className="danger small"
          aria-label={`Delete model ${name}`}
          disabled={remove.isPending || list.length > 0}
          title={list.length > 0 ? 'Delete its versions first' : undefined}
          onClick={() => {
            if (window.confirm(`Delete model ${name}?`)) remove.mutate();
          }}
        >
          Delete model
        </button>
      </div>
      <ErrorAlert error={remove.error} />
      <DataTable
        columns={VERSION_COLUMNS}
        empty={versions.data !== undefined && list.length === 0 ? 'No versions.' : undefined}
      >
        {list.map((version) => (
          <VersionRow key={version.name} model={name} version={version} />
        ))}
      </DataTable>
      {target === undefined ? null : (
        <div className="try">
          <h3>Try a prediction</h3>
          {ready.length > 1 ? (
            <label>
              Version
              <select value={target} onChange={(event) => setChosen(event.target.value)}>
                <Options values={ready.map((v) => shortName(v.name))} />
              </select>
            </label>
          ) : null}
          {ready.some((v) => shortName(v.name) === target) ? (
            <PredictForm key={target} model={name} version={target} />
          ) : (
            <p>Version {target} is not READY yet.</p>
          )}
        </div>
      )}
    </section>
  );
};

/** Models and their versions; deploy from a job; try a prediction. */
export const ModelsPage = () => {
  const { client, project } = useClient();
  const models = useQuery({
    ...modelsQuery(client, project),
    refetchInterval: 5000,
  });
  return (
    <section aria-labelledby="models-title">
      <div className="page-head">
        <h1 id="models-title">Models</h1>
      </div>
      <details className="card">
        <summary>Deploy a model from a job</summary>
        <DeployForm title="Deploy" />
      </details>
      <ErrorAlert error={models.error} />
      {models.data?.models.length === 0 ? <p>No models yet.</p> : null}
      {(models.data?.models ?? []).map((model) => (
        <ModelCard key={model.name} model={model} />
      ))}
    </section>
  );
};
