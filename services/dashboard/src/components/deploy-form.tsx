import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { StratusApiError } from '@stratus/client';
import { FRAMEWORKS, isValidId, type Framework } from '@stratus/spec';
import { useClient } from '../lib/client-context.js';
import { errorMessage } from '../lib/format.js';
import { Field } from './field.js';

/** How the deploy form names each framework. */
export const FRAMEWORK_LABELS: Readonly<Record<Framework, string>> = {
  TENSORFLOW_JS: 'TensorFlow.js',
  ONNX: 'ONNX',
};

const defaultModelName = (jobId: string): string =>
  `${jobId.replace(/[^A-Za-z0-9_]/g, '_')}_model`.slice(0, 128);

/**
 * Deploy a job's best trial (or the job typed in) as a model version: creates
 * the model when it does not exist, then the version, and waits until a
 * predictor has it READY. Framework ONNX serves the model.onnx the trainer
 * exported on ONNX Runtime.
 */
export const DeployForm = ({ jobId, title }: { jobId?: string; title: string }) => {
  const { client } = useClient();
  const queryClient = useQueryClient();
  const [job, setJob] = useState(jobId ?? '');
  const [model, setModel] = useState(jobId === undefined ? '' : defaultModelName(jobId));
  const [version, setVersion] = useState('v1');
  const [framework, setFramework] = useState<Framework>('TENSORFLOW_JS');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!isValidId(job)) found.job = 'enter a job ID';
    if (!isValidId(model)) found.model = 'letters, digits and _; starts with a letter';
    if (!isValidId(version)) found.version = 'letters, digits and _; starts with a letter';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setStatus('Deploying…');
    try {
      try {
        await client.models.get(model);
      } catch (error) {
        if (!(error instanceof StratusApiError) || error.code !== 404) throw error;
        await client.models.create({ name: model, description: `Trained by job ${job}` });
      }
      const operation = await client.versions.create(model, {
        name: version,
        sourceJob: { jobId: job },
        framework,
      });
      await queryClient.invalidateQueries({ queryKey: ['models'] });
      const done = await client.operations.wait(operation.name, {
        intervalMs: 500,
        timeoutMs: 120_000,
      });
      if (done.error !== undefined) throw new Error(done.error.message);
      setStatus(`Deployed ${model} version ${version}: READY`);
    } catch (error) {
      setStatus(`Deploy failed: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ['models'] });
    }
  };
  return (
    <form className="deploy-form" onSubmit={(event) => void submit(event)} aria-label={title}>
      {jobId === undefined ? (
        <Field label="Job ID" error={errors.job}>
          <input value={job} onChange={(event) => setJob(event.target.value)} />
        </Field>
      ) : null}
      <Field label="Model name" error={errors.model}>
        <input value={model} onChange={(event) => setModel(event.target.value)} />
      </Field>
      <Field label="Version name" error={errors.version}>
        <input value={version} onChange={(event) => setVersion(event.target.value)} />
      </Field>
      <Field label="Framework">
        <select
          value={framework}
          onChange={(event) => setFramework(event.target.value as Framework)}
        >
          {FRAMEWORKS.map((name) => (
            <option key={name} value={name}>
              {FRAMEWORK_LABELS[name]}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" disabled={busy}>
        {title}
      </button>
      {status === undefined ? null : (
        <p role="status" className="deploy-status">
          {status}
        </p>
      )}
    </form>
  );
};
