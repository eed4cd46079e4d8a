import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  METRIC_GOALS,
  SEARCH_ALGORITHMS,
  getBuiltinAlgorithm,
  type BuiltinAlgorithmName,
} from '@stratus/spec';
import { StratusApiError } from '@stratus/client';
import { useClient } from '../lib/client-context.js';
import {
  BA,
  HP,
  TABULAR_ALGORITHMS,
  checkJob,
  fieldFor,
  initialDraft,
  newParam,
  paramPath,
  tunableFields,
  type FieldErrors,
  type JobDraft,
  type ParamDraft,
} from '../lib/job-form.js';
import { navigate } from '../lib/router.js';
import { FormActions } from './form-actions.js';
import { Field, JobIdField, NumberField, followJobId } from './field.js';
import { Options } from './options.js';

const PARAM_TYPES = ['DOUBLE', 'INTEGER', 'CATEGORICAL', 'DISCRETE'] as const;
const SCALES = ['', 'UNIT_LINEAR_SCALE', 'UNIT_LOG_SCALE', 'UNIT_REVERSE_LOG_SCALE'] as const;

const knownFields = (draft: JobDraft): string[] => [
  'jobId',
  'labels',
  'trainingInput.jobDir',
  'trainingInput.scaleTier',
  `${BA}.name`,
  `${BA}.trainingData`,
  `${BA}.labelColumn`,
  `${BA}.epochs`,
  `${BA}.batchSize`,
  `${BA}.learningRate`,
  `${BA}.hiddenUnits`,
  `${HP}.goal`,
  `${HP}.hyperparameterMetricTag`,
  `${HP}.maxTrials`,
  `${HP}.maxParallelTrials`,
  `${HP}.algorithm`,
  `${HP}.params`,
  ...draft.params.flatMap((_, i) => [
    paramPath(i, 'parameterName'),
    paramPath(i, 'type'),
    paramPath(i, 'minValue'),
    paramPath(i, 'maxValue'),
    paramPath(i, 'scaleType'),
    paramPath(i, 'categoricalValues'),
    paramPath(i, 'discreteValues'),
  ]),
];

/** Submit a built-in algorithm job, optionally tuned; validated here exactly as the API does. */
export const SubmitJobForm = ({ onClose }: { onClose: () => void }) => {
  const { client } = useClient();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<JobDraft>(initialDraft);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [nextKey, setNextKey] = useState(1);
  const submit = useMutation({
    mutationFn: (input: Parameters<typeof client.jobs.create>[0]) => client.jobs.create(input),
    onSuccess: async (job) => {
      await queryClient.invalidateQueries({ queryKey: ['jobs'] });
      onClose();
      navigate(`/jobs/${encodeURIComponent(job.jobId)}`);
    },
    onError: (error) => {
      if (error instanceof StratusApiError && error.fieldViolations.length > 0) {
        const known = knownFields(draft);
        const found: Record<string, string> = {};
        for (const violation of error.fieldViolations) {
          found[fieldFor(violation, known)] = violation.description;
        }
        setErrors(found);
      }
    },
  });

  const set = <K extends keyof JobDraft>(key: K, value: JobDraft[K]): void =>
    setDraft((current) => ({ ...current, [key]: value }));
  const setParam = (index: number, patch: Partial<ParamDraft>): void =>
    setDraft((current) => ({
      ...current,
      params: current.params.map((param, i) => (i === index ? { ...param, ...patch } : param)),
    }));
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const checked = checkJob(draft, knownFields(draft));
    setErrors(checked.errors);
    if (Object.keys(checked.errors).length > 0) return;
    submit.mutate(checked.input);
  };
  const err = (path: string): string | undefined => errors[path];
  const algorithm = getBuiltinAlgorithm(draft.algorithm);
  const metrics = algorithm?.metrics ?? Object.keys(METRIC_GOALS);
  /** A numeric training argument, showing the algorithm's default until one is typed. */
  const trainingArgField = (
    label: string,
    key: 'epochs' | 'batchSize' | 'learningRate',
    inputMode: 'numeric' | 'decimal',
  ) => (
    <Field label={label} error={err(`${BA}.${key}`)}>
      <input
        inputMode={inputMode}
        placeholder={String(algorithm?.defaults[key] ?? '')}
        value={draft[key]}
        onChange={(e) => set(key, e.target.value)}
      />
    </Field>
  );

  return (
    <form className="card submit-form" onSubmit={onSubmit} noValidate aria-label="Submit job">
      <h2>Submit a training job</h2>
      <div className="grid">
        <JobIdField
          error={err('jobId')}
          value={draft.jobId}
          onChange={(jobId) =>
            setDraft((current) => ({
              ...current,
              jobId,
              jobDir: followJobId(
                current.jobDir,
                current.jobId,
                jobId,
                (id) => `gs://demo/jobs/${id}`,
              ),
            }))
          }
        />
        <Field label="Algorithm" error={err(`${BA}.name`)}>
          <select
            value={draft.algorithm}
            onChange={(e) => set('algorithm', e.target.value as BuiltinAlgorithmName)}
          >
            <Options values={TABULAR_ALGORITHMS} />
          </select>
        </Field>
        <Field label="Training data" error={err(`${BA}.trainingData`)}>
          <input value={draft.trainingData} onChange={(e) => set('trainingData', e.target.value)} />
        </Field>
        <Field label="Label column" error={err(`${BA}.labelColumn`)}>
          <input value={draft.labelColumn} onChange={(e) => set('labelColumn', e.target.value)} />
        </Field>
        <Field label="Job directory" error={err('trainingInput.jobDir')}>
          <input
            value={draft.jobDir}
            placeholder="empty: gs://<project>-stratus-staging/jobs/<job id>"
            onChange={(e) => set('jobDir', e.target.value)}
          />
        </Field>
        <Field label="Scale tier" error={err('trainingInput.scaleTier')}>
          <select
            value={draft.scaleTier}
            onChange={(e) => set('scaleTier', e.target.value as JobDraft['scaleTier'])}
          >
            <option value="BASIC">BASIC (CPU)</option>
            <option value="BASIC_GPU">BASIC_GPU</option>
          </select>
        </Field>
        {trainingArgField('Epochs', 'epochs', 'numeric')}
        {trainingArgField('Batch size', 'batchSize', 'numeric')}
        {trainingArgField('Learning rate', 'learningRate', 'decimal')}
        <Field label="Hidden units" error={err(`${BA}.hiddenUnits`)} hint="e.g. 32,16">
          <input
            placeholder={algorithm?.defaults.hiddenUnits.join(',') ?? ''}
            value={draft.hiddenUnits}
            onChange={(e) => set('hiddenUnits', e.target.value)}
          />
        </Field>
        <Field label="Labels" error={err('labels')} hint="key=value, comma separated">
          <input value={draft.labels} onChange={(e) => set('labels', e.target.value)} />
        </Field>
      </div>

      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.tune}
          onChange={(e) => set('tune', e.target.checked)}
        />
        Tune hyperparameters
      </label>
      {draft.tune ? (
        <fieldset>
          <legend>Hyperparameter tuning</legend>
          <div className="grid">
            <Field label="Goal" error={err(`${HP}.goal`)}>
              <select
                value={draft.goal}
                onChange={(e) => set('goal', e.target.value as JobDraft['goal'])}
              >
                <option value="MAXIMIZE">MAXIMIZE</option>
                <option value="MINIMIZE">MINIMIZE</option>
              </select>
            </Field>
            <Field label="Metric" error={err(`${HP}.hyperparameterMetricTag`)}>
              <select value={draft.metricTag} onChange={(e) => set('metricTag', e.target.value)}>
                <Options values={metrics} />
              </select>
            </Field>
            <NumberField
              label="Max trials"
              error={err(`${HP}.maxTrials`)}
              value={draft.maxTrials}
              onChange={(value) => set('maxTrials', value)}
            />
            <NumberField
              label="Max parallel trials"
              error={err(`${HP}.maxParallelTrials`)}
              value={draft.maxParallelTrials}
              onChange={(value) => set('maxParallelTrials', value)}
            />
            <Field label="Search algorithm" error={err(`${HP}.algorithm`)}>
              <select
                value={draft.searchAlgorithm}
                onChange={(e) => set('searchAlgorithm', e.target.value)}
              >
                <Options
                  values={SEARCH_ALGORITHMS}
                  label={(name) =>
                    name === 'ALGORITHM_UNSPECIFIED' ? 'Bayesian optimisation' : name
                  }
                />
              </select>
            </Field>
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.earlyStopping}
              onChange={(e) => set('earlyStopping', e.target.checked)}
            />
            Stop unpromising trials early
          </label>
          {err(`${HP}.params`) === undefined ? null : (
            <p className="field-error" role="alert">
              {err(`${HP}.params`)}
            </p>
          )}
          {draft.params.map((param, index) => (
            <fieldset key={param.key} className="param-row">
              <legend>Parameter {index + 1}</legend>
              <Field label="Name" error={err(paramPath(index, 'parameterName'))}>
                <select
                  value={param.parameterName}
                  onChange={(e) => setParam(index, { parameterName: e.target.value })}
                >
                  <Options values={tunableFields(draft.algorithm)} />
                </select>
              </Field>
              <Field label="Type" error={err(paramPath(index, 'type'))}>
                <select
                  value={param.type}
                  onChange={(e) => setParam(index, { type: e.target.value as ParamDraft['type'] })}
                >
                  <Options values={PARAM_TYPES} />
                </select>
              </Field>
              {param.type === 'DOUBLE' || param.type === 'INTEGER' ? (
                <>
                  <Field label="Min" error={err(paramPath(index, 'minValue'))}>
                    <input
                      inputMode="decimal"
                      value={param.minValue}
                      onChange={(e) => setParam(index, { minValue: e.target.value })}
                    />
                  </Field>
                  <Field label="Max" error={err(paramPath(index, 'maxValue'))}>
                    <input
                      inputMode="decimal"
                      value={param.maxValue}
                      onChange={(e) => setParam(index, { maxValue: e.target.value })}
                    />
                  </Field>
                  <Field label="Scale" error={err(paramPath(index, 'scaleType'))}>
                    <select
                      value={param.scaleType}
                      onChange={(e) => setParam(index, { scaleType: e.target.value })}
                    >
                      <Options values={SCALES} label={(scale) => (scale === '' ? 'none' : scale)} />
                    </select>
                  </Field>
                </>
              ) : (
                <Field
                  label="Values"
                  hint="comma separated"
                  error={
                    err(paramPath(index, 'categoricalValues')) ??
                    err(paramPath(index, 'discreteValues'))
                  }
                >
                  <input
                    value={param.values}
                    onChange={(e) => setParam(index, { values: e.target.value })}
                  />
                </Field>
              )}
              <button
                type="button"
                className="secondary small"
                aria-label={`Remove parameter ${index + 1}`}
                onClick={() =>
                  setDraft((current) => ({
                    ...current,
                    params: current.params.filter((_, i) => i !== index),
                  }))
                }
              >
                Remove
              </button>
            </fieldset>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const used = new Set(draft.params.map((p) => p.parameterName));
              const name = tunableFields(draft.algorithm).find((f) => !used.has(f));
              setDraft((current) => ({
                ...current,
                params: [...current.params, newParam(nextKey, name)],
              }));
              setNextKey((k) => k + 1);
            }}
          >
            Add parameter
          </button>
        </fieldset>
      ) : null}
      <FormActions
        formError={errors['']}
        submitError={submit.error}
        pending={submit.isPending}
        onClose={onClose}
      />
    </form>
  );
};
