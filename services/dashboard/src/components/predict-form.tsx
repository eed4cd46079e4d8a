import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ClassificationPrediction, SignatureInput } from '@stratus/spec';
import { useClient } from '../lib/client-context.js';
import { formatNumber } from '../lib/format.js';
import { ErrorAlert } from './error-alert.js';
import { Field } from './field.js';
import { Options } from './options.js';

const isClassification = (value: unknown): value is ClassificationPrediction =>
  typeof value === 'object' && value !== null && 'label' in value && 'probabilities' in value;

const initialValues = (inputs: readonly SignatureInput[]): Record<string, string> =>
  Object.fromEntries(
    inputs.map((input) => [
      input.name,
      input.kind === 'categorical'
        ? (input.vocabulary?.[0] ?? '')
        : input.mean === undefined
          ? ''
          : String(Number(input.mean.toPrecision(3))),
    ]),
  );

/** The probabilities of a classification as labelled bars, the predicted one first. */
const ProbabilityBars = ({ prediction }: { prediction: ClassificationPrediction }) => {
  const entries = Object.entries(prediction.probabilities).sort((a, b) => b[1] - a[1]);
  return (
    <ul className="bars" aria-label="Class probabilities">
      {entries.map(([label, probability]) => (
        <li key={label} data-label={label}>
          <span className="bar-label">{label}</span>
          <span className="bar-track">
            <span className="bar-fill" style={{ width: `${Math.round(probability * 100)}%` }} />
          </span>
          <span className="bar-value">{(probability * 100).toFixed(1)}%</span>
        </li>
      ))}
    </ul>
  );
};

/**
 * "Try a prediction": a form generated from the version's input features
 * (numbers, or a dropdown of a categorical feature's vocabulary), showing the
 * predicted label and its probabilities.
 */
export const PredictForm = ({ model, version }: { model: string; version: string }) => {
  const { client, project } = useClient();
  const signature = useQuery({
    queryKey: ['models', project, model, version, 'signature'],
    queryFn: () => client.versions.signature(model, version),
  });
  const [values, setValues] = useState<Record<string, string>>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const predict = useMutation({
    mutationFn: (instance: Record<string, string | number>) =>
      client.predict(model, [instance], { version }),
  });
  if (signature.error !== null) {
    return <ErrorAlert error={signature.error} />;
  }
  if (signature.data === undefined) return <p>Loading the model's inputs…</p>;
  const inputs = signature.data.inputs.filter((input) => input.kind !== 'image');
  if (signature.data.format === 'raw' || inputs.length === 0) {
    return <p>This version takes raw tensors; call :predict with instances directly.</p>;
  }
  const current = values ?? initialValues(inputs);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const instance: Record<string, string | number> = {};
    for (const input of inputs) {
      const raw = current[input.name] ?? '';
      if (input.kind === 'numeric') {
        const value = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(value)) found[input.name] = 'enter a number';
        else instance[input.name] = value;
      } else {
        instance[input.name] = raw;
      }
    }
    setErrors(found);
    if (Object.keys(found).length === 0) predict.mutate(instance);
  };
  const prediction = predict.data?.predictions[0];
  return (
    <form className="predict-form" onSubmit={submit} aria-label={`Try a prediction with ${model}`}>
      <div className="grid">
        {inputs.map((input) => (
          <Field key={input.name} label={input.name} error={errors[input.name]}>
            {input.kind === 'categorical' ? (
              <select
                value={current[input.name] ?? ''}
                onChange={(event) => setValues({ ...current, [input.name]: event.target.value })}
              >
                <Options values={input.vocabulary ?? []} />
              </select>
            ) : (
              <input
                type="number"
                step="any"
                value={current[input.name] ?? ''}
                onChange={(event) => setValues({ ...current, [input.name]: event.target.value })}
              />
            )}
          </Field>
        ))}
      </div>
      <button type="submit" disabled={predict.isPending}>
        Predict
      </button>
      <ErrorAlert error={predict.error} />
      {prediction === undefined ? null : isClassification(prediction) ? (
        <div className="prediction" role="status">
          <p>
            Predicted label: <strong className="predicted-label">{prediction.label}</strong>
          </p>
          <ProbabilityBars prediction={prediction} />
        </div>
      ) : (
        <div className="prediction" role="status">
          <p>
            Predicted value:{' '}
            <strong className="predicted-value">
              {formatNumber((prediction as { value?: number }).value)}
            </strong>
          </p>
        </div>
      )}
    </form>
  );
};
