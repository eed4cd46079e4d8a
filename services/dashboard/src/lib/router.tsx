import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { keepProject } from './project-url.js';

const listeners = new Set<() => void>();

const notify = (): void => {
  for (const listener of listeners) listener();
};

/** Go to a client route without a reload; a `to` naming no project keeps the current one. */
export const navigate = (to: string): void => {
  window.history.pushState(null, '', keepProject(to, window.location.search));
  notify();
};

/** Change the address without a history entry (e.g. to add the project it shows). */
export const replaceLocation = (to: string): void => {
  window.history.replaceState(null, '', to);
  notify();
};

/** The current path and query; re-renders on navigation and back/forward. */
export const useLocation = (): { path: string; search: URLSearchParams } => {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = (): void => setTick((n) => n + 1);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return {
    path: window.location.pathname,
    search: new URLSearchParams(window.location.search),
  };
};

/**
 * An anchor that navigates in the app (modifier clicks still open a tab). Its
 * href carries the current project, so a copied or new-tab link opens the
 * same project.
 */
export const Link = ({
  to,
  ...props
}: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) => {
  const href = keepProject(to, window.location.search);
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={onClick} {...props} />;
};
