import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { StratusApiError } from '@stratus/client';
import { useClient } from '../lib/client-context.js';
import { modelsQuery, versionsQuery } from '../lib/model-queries.js';
import { shortName } from '../lib/format.js';
import { fieldFor, type FieldErrors } from '../lib/job-form.js';
import {
  PREDICTION_FIELDS,
  PREDICTION_FORM_DATA_FORMATS,
  PREDICTION_FORM_OUTPUT_FORMATS,
  checkPrediction,
  initialPredictionDraft,
  suggestedOutputPath,
  type PredictionDraft,
} from '../lib/prediction-form.js';
import { navigate } from '../lib/router.js';
import { ErrorAlert } from './error-alert.js';
import { FormActions } from './form-actions.js';
import { Field, JobIdField, NumberField, followJobId } from './field.js';
import { Options } from './options.js';

const PI = 'predictionInput';

/**
 * Submit a batch prediction job: one of the project's models (its default
 * version or a chosen one) over `gs://` inputs; validated here exactly as the
 * API does, and the API's own field errors shown at their fields.
 */
export const BatchPredictionForm = ({ onClose }: { onClose: () => void }) => {
  const { client, project } = useClient();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<PredictionDraft>(initialPredictionDraft);
  const [errors, setErrors] = useState<FieldErrors>({});
  // The same queries (keys and results) as the models page, so the two share a cache.
  const models = useQuery(modelsQuery(client, project));
  const versions = useQuery({
    ...versionsQuery(client, project, draft.model),
    enabled: draft.model !== '',
  });
  const submit = useMutation({
    mutationFn: (input: Parameters<typeof client.jobs.create>[0]) => client.jobs.create(input),
    onSuccess: async (job) => {
      await queryClient.invalidateQueries({ queryKey: ['jobs'] });
      onClose();
      navigate(`/jobs/${encodeURIComponent(job.jobId)}`);
    },
    onError: (error) => {
      if (error instanceof StratusApiError && error.fieldViolations.length > 0) {
        const found: Record<string, string> = {};
        for (const violation of error.fieldViolations) {
          const field = fieldFor(violation, PREDICTION_FIELDS);
          found[field] =
            field === '' ? `${violation.field}: ${violation.description}` : violation.description;
        }
        setErrors(found);
      }
    },
  });

  const set = <K extends keyof PredictionDraft>(key: K, value: PredictionDraft[K]): void =>
    setDraft((current) => ({ ...current, [key]: value }));
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    const checked = checkPrediction(draft, project);
    setErrors(checked.errors);
    if (Object.keys(checked.errors).length > 0) return;
    submit.mutate(checked.input);
  };
  const err = (path: string): string | undefined => errors[path];
  const modelNames = (models.data?.models ?? []).map((model) => shortName(model.name));
  const versionNames = (versions.data?.versions ?? []).map((version) => shortName(version.name));

  return (
    <form
      className="card submit-form"
      onSubmit={onSubmit}
      noValidate
      aria-label="New batch prediction"
    >
      <h2>New batch prediction</h2>
      <ErrorAlert error={models.error} />
      <div className="grid">
        <JobIdField
          error={err('jobId')}
          value={draft.jobId}
          onChange={(jobId) =>
            setDraft((current) => ({
              ...current,
              jobId,
              outputPath: followJobId(
                current.outputPath,
                current.jobId,
                jobId,
                suggestedOutputPath,
              ),
            }))
          }
        />
        <Field label="Model" error={err(`${PI}.modelName`)}>
          <select
            value={draft.model}
            onChange={(e) => setDraft((c) => ({ ...c, model: e.target.value, version: '' }))}
          >
            <option value="">
              {models.isPending ? 'Loading models…' : `Choose a model (${modelNames.length})`}
            </option>
            <Options values={modelNames} />
          </select>
        </Field>
        <Field label="Version" error={err(`${PI}.versionName`)} hint="optional">
          <select value={draft.version} onChange={(e) => set('version', e.target.value)}>
            <option value="">Default version</option>
            <Options values={versionNames} />
          </select>
        </Field>
        <Field
          label="Input paths"
          error={err(`${PI}.inputPaths`)}
          hint="gs:// objects, comma separated; * matches within a segment"
        >
          <input
            value={draft.inputPaths}
            placeholder="gs://demo/batch/*.jsonl"
            onChange={(e) => set('inputPaths', e.target.value)}
          />
        </Field>
        <Field label="Output path" error={err(`${PI}.outputPath`)}>
          <input value={draft.outputPath} onChange={(e) => set('outputPath', e.target.value)} />
        </Field>
        <Field label="Data format" error={err(`${PI}.dataFormat`)}>
          <select
            value={draft.dataFormat}
            onChange={(e) => set('dataFormat', e.target.value as PredictionDraft['dataFormat'])}
          >
            <Options
              values={PREDICTION_FORM_DATA_FORMATS}
              label={(format) => (format === 'JSON' ? 'JSON (JSON Lines)' : format)}
            />
          </select>
        </Field>
        <Field label="Output format" error={err(`${PI}.outputDataFormat`)}>
          <select
            value={draft.outputDataFormat}
            onChange={(e) =>
              set('outputDataFormat', e.target.value as PredictionDraft['outputDataFormat'])
            }
          >
            <Options values={PREDICTION_FORM_OUTPUT_FORMATS} />
          </select>
        </Field>
        <NumberField
          label="Batch size"
          error={err(`${PI}.batchSize`)}
          placeholder="64"
          value={draft.batchSize}
          onChange={(value) => set('batchSize', value)}
        />
        <NumberField
          label="Max workers"
          error={err(`${PI}.maxWorkerCount`)}
          placeholder="no limit"
          value={draft.maxWorkerCount}
          onChange={(value) => set('maxWorkerCount', value)}
        />
      </div>
      <FormActions
        formError={errors['']}
        submitError={submit.error}
        pending={submit.isPending}
        onClose={onClose}
      />
    </form>
  );
};
