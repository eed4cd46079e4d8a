import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();

/** Go to a client route without a reload. */
export const navigate = (to: string): void => {
  window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
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

/** An anchor that navigates in the app (modifier clicks still open a tab). */
export const Link = ({
  to,
  ...props
}: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) => {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={onClick} {...props} />;
};
