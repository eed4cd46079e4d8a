import { errorMessage } from '../lib/format.js';

/**
 * A failed call's message, announced as an alert; nothing while `error` is
 * null or undefined (react-query's and the stream hooks' "no error").
 * `inline` renders a span, for a table cell or a row of buttons.
 */
export const ErrorAlert = ({ error, inline = false }: { error: unknown; inline?: boolean }) => {
  if (error === null || error === undefined) return null;
  const Tag = inline ? 'span' : 'p';
  return (
    <Tag className="error" role="alert">
      {errorMessage(error)}
    </Tag>
  );
};
