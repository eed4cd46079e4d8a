import { useState, type FormEvent } from 'react';
import { StratusClient } from '@stratus/client';
import { ErrorAlert } from '../components/error-alert.js';
import { errorMessage } from '../lib/format.js';
import { DEFAULT_PROJECT, type Session } from '../lib/session.js';

/** Sign in with an API token (the URL `stratus serve` prints does it for you). */
export const LoginPage = ({
  onLogin,
  notice,
  project: linkedProject,
}: {
  onLogin: (session: Session) => void;
  notice: string | undefined;
  /** The project the address names (a shared link), if any. */
  project?: string | undefined;
}) => {
  const [token, setToken] = useState('');
  const [project, setProject] = useState(linkedProject ?? DEFAULT_PROJECT);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const client = new StratusClient({ baseUrl: window.location.origin, token, project });
      await client.jobs.list({ pageSize: 1 });
      onLogin({ token, project });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <h1>Stratus</h1>
      <p>
        Sign in with an API token. The URL that <code>npm start</code> prints signs you in.
      </p>
      {notice === undefined ? null : <p role="status">{notice}</p>}
      <form onSubmit={(event) => void submit(event)} className="stack">
        <label>
          Token
          <input
            type="password"
            autoComplete="off"
            required
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        <label>
          Project
          <input required value={project} onChange={(event) => setProject(event.target.value)} />
        </label>
        <ErrorAlert error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
};
