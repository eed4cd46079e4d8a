import { useEffect, useMemo, useState } from 'react';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StratusApiError, StratusClient } from '@stratus/client';
import { Layout } from './components/layout.js';
import { ClientContext } from './lib/client-context.js';
import { projectOfSearch, switchProjectTarget, withProject } from './lib/project-url.js';
import { navigate, replaceLocation, useLocation } from './lib/router.js';
import {
  DEFAULT_PROJECT,
  clearSession,
  loadSession,
  saveSession,
  takeTokenFromUrl,
  type Session,
} from './lib/session.js';
import { BucketsPage } from './pages/buckets-page.js';
import { JobPage } from './pages/job-page.js';
import { JobsPage } from './pages/jobs-page.js';
import { LoginPage } from './pages/login-page.js';
import { ModelsPage } from './pages/models-page.js';
import { WorkersPage } from './pages/workers-page.js';

const initialSession = (): Session | undefined => {
  const token = takeTokenFromUrl();
  if (token !== undefined) {
    saveSession({ token, project: loadSession()?.project ?? DEFAULT_PROJECT });
  }
  return loadSession();
};

const Routes = () => {
  const { path } = useLocation();
  const job = /^\/jobs\/([^/]+)$/.exec(path);
  if (job?.[1] !== undefined) return <JobPage jobId={decodeURIComponent(job[1])} />;
  if (path === '/models') return <ModelsPage />;
  if (path === '/workers') return <WorkersPage />;
  if (path === '/buckets') return <BucketsPage />;
  return <JobsPage />;
};

/** This page's address, with `?project=` set to `project`. */
const hereIn = (project: string): string =>
  withProject(
    `${window.location.pathname}${window.location.search}${window.location.hash}`,
    project,
  );

/**
 * The signed-in app, or the login page; a 401 anywhere signs out. The
 * address names the project shown (`?project=`): a link into another project
 * switches to it, and an address without one gets the session's.
 */
export const App = () => {
  const [session, setSession] = useState(initialSession);
  const [notice, setNotice] = useState<string>();
  const { path } = useLocation();
  const urlProject = projectOfSearch(window.location.search);
  const project = urlProject ?? session?.project ?? DEFAULT_PROJECT;
  useEffect(() => {
    if (session === undefined) return;
    if (urlProject === undefined) {
      replaceLocation(hereIn(session.project));
    } else if (urlProject !== session.project) {
      const next = { ...session, project: urlProject };
      saveSession(next);
      setSession(next);
    }
  }, [session, urlProject]);
  // One cache per project: query keys name jobs and models, not their project.
  const queryClient = useMemo(
    () =>
      new QueryClient({
        queryCache: new QueryCache({
          onError: (error) => {
            if (error instanceof StratusApiError && error.code === 401) {
              clearSession();
              setNotice('Your token was not accepted; sign in again.');
              setSession(undefined);
            }
          },
        }),
        defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
      }),
    [project],
  );
  const client = useMemo(
    () =>
      session === undefined
        ? undefined
        : new StratusClient({
            baseUrl: window.location.origin,
            token: session.token,
            project,
          }),
    [session, project],
  );

  const signIn = (next: Session): void => {
    saveSession(next);
    setNotice(undefined);
    queryClient.clear();
    setSession(next);
    replaceLocation(hereIn(next.project));
  };
  const signOut = (): void => {
    clearSession();
    queryClient.clear();
    setNotice('Signed out.');
    setSession(undefined);
  };

  if (session === undefined || client === undefined) {
    return <LoginPage onLogin={signIn} notice={notice} project={urlProject} />;
  }
  return (
    <QueryClientProvider client={queryClient}>
      <ClientContext.Provider value={{ client, project }}>
        <Layout
          key={project}
          project={project}
          onProject={(next) => navigate(switchProjectTarget(path, next))}
          onLogout={signOut}
        >
          <Routes />
        </Layout>
      </ClientContext.Provider>
    </QueryClientProvider>
  );
};
