/** The signed-in token and project, kept in localStorage. */
export interface Session {
  readonly token: string;
  readonly project: string;
}

const TOKEN_KEY = 'stratus.token';
const PROJECT_KEY = 'stratus.project';
const PROJECTS_KEY = 'stratus.projects';

export const DEFAULT_PROJECT = 'default';

export const loadSession = (): Session | undefined => {
  const token = localStorage.getItem(TOKEN_KEY);
  if (token === null || token === '') return undefined;
  return { token, project: localStorage.getItem(PROJECT_KEY) ?? DEFAULT_PROJECT };
};

export const saveSession = (session: Session): void => {
  localStorage.setItem(TOKEN_KEY, session.token);
  localStorage.setItem(PROJECT_KEY, session.project);
  rememberProject(session.project);
};

export const clearSession = (): void => {
  localStorage.removeItem(TOKEN_KEY);
};

/** Projects this browser has used, for the switcher. */
export const knownProjects = (): string[] => {
  try {
    const parsed = JSON.parse(localStorage.getItem(PROJECTS_KEY) ?? '[]') as unknown;
    const list = Array.isArray(parsed) ? parsed.filter((p) => typeof p === 'string') : [];
    return [...new Set([DEFAULT_PROJECT, ...list])];
  } catch {
    return [DEFAULT_PROJECT];
  }
};

export const rememberProject = (project: string): void => {
  const list = knownProjects();
  if (!list.includes(project)) list.push(project);
  localStorage.setItem(PROJECTS_KEY, JSON.stringify(list));
};

/**
 * A `?token=` in the address (the URL `stratus serve` prints) signs in, then
 * leaves the address bar so the token is not kept in history or bookmarks.
 */
export const takeTokenFromUrl = (): string | undefined => {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token === null || token === '') return undefined;
  url.searchParams.delete('token');
  window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  return token;
};
