import { cloneElement, useId, type ReactElement } from 'react';

/**
 * A labelled form control with its error shown right under it (and linked by
 * aria-describedby / aria-invalid so screen readers announce it).
 */
export const Field = ({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: ReactElement<Record<string, unknown>>;
}) => {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy =
    [error === undefined ? '' : errorId, hint === undefined ? '' : hintId]
      .filter((s) => s !== '')
      .join(' ') || undefined;
  return (
    <div className={error === undefined ? 'field' : 'field invalid'}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        'aria-invalid': error !== undefined,
        'aria-describedby': describedBy,
      })}
      {hint === undefined ? null : (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {error === undefined ? null : (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
};

/** A labelled whole-number input (kept as the text typed; the validator reads it). */
export const NumberField = ({
  label,
  error,
  value,
  placeholder,
  onChange,
}: {
  label: string;
  error: string | undefined;
  value: string;
  placeholder?: string;
  onChange: (value: string) => void;
}) => (
  <Field label={label} error={error}>
    <input
      inputMode="numeric"
      {...(placeholder === undefined ? {} : { placeholder })}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  </Field>
);

/** The Job ID input of a submit form. */
export const JobIdField = ({
  error,
  value,
  onChange,
}: {
  error: string | undefined;
  value: string;
  onChange: (jobId: string) => void;
}) => (
  <Field label="Job ID" error={error}>
    <input value={value} onChange={(e) => onChange(e.target.value)} />
  </Field>
);

/**
 * A path suggested from the job id (`suggest`) that follows the id as it is
 * typed, until the user edits it: empty or still the old id's suggestion.
 */
export const followJobId = (
  path: string,
  previousId: string,
  jobId: string,
  suggest: (jobId: string) => string,
): string => (path === '' || path === suggest(previousId) ? suggest(jobId) : path);
