import { useState, type FormEvent, type ReactNode } from 'react';
import { PROJECT_ID_PATTERN } from '@stratus/spec';
import { Link, useLocation } from '../lib/router.js';
import { knownProjects } from '../lib/session.js';

const NAV = [
  { to: '/jobs', label: 'Jobs' },
  { to: '/models', label: 'Models' },
  { to: '/buckets', label: 'Buckets' },
  { to: '/workers', label: 'Workers' },
] as const;

/** Header (navigation, project switcher, logout) around the page. */
export const Layout = ({
  project,
  onProject,
  onLogout,
  children,
}: {
  project: string;
  onProject: (project: string) => void;
  onLogout: () => void;
  children: ReactNode;
}) => {
  const { path } = useLocation();
  const [draft, setDraft] = useState(project);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const next = draft.trim();
    if (next !== '' && next !== project) onProject(next);
  };
  const active = (to: string): boolean =>
    to === '/jobs' ? path === '/' || path.startsWith('/jobs') : path.startsWith(to);
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Stratus</span>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              className={active(item.to) ? 'nav-link active' : 'nav-link'}
              aria-current={active(item.to) ? 'page' : undefined}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <form className="project-switcher" onSubmit={submit}>
          <label htmlFor="project-input">Project</label>
          <input
            id="project-input"
            list="known-projects"
            value={draft}
            pattern={PROJECT_ID_PATTERN.source.replace(/^\^|\$$/g, '')}
            onChange={(event) => setDraft(event.target.value)}
          />
          <datalist id="known-projects">
            {knownProjects().map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <button type="submit">Switch</button>
        </form>
        <button type="button" className="secondary" onClick={onLogout}>
          Log out
        </button>
      </header>
      <main>{children}</main>
    </div>
  );
};
