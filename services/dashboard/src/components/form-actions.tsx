import { ErrorAlert } from './error-alert.js';

/**
 * The end of a submit form: a problem that names no field, the request's
 * error, and the Submit and Discard buttons.
 */
export const FormActions = ({
  formError,
  submitError,
  pending,
  onClose,
}: {
  formError: string | undefined;
  submitError: unknown;
  pending: boolean;
  onClose: () => void;
}) => (
  <>
    {formError === undefined ? null : (
      <p className="field-error" role="alert">
        {formError}
      </p>
    )}
    <ErrorAlert error={submitError} />
    <div className="actions">
      <button type="submit" disabled={pending}>
        Submit
      </button>
      <button type="button" className="secondary" onClick={onClose}>
        Discard
      </button>
    </div>
  </>
);
