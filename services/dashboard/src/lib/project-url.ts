import { isValidProjectId } from '@stratus/spec';

/** The query parameter every dashboard URL carries its project in: `/jobs/iris_1?project=demo`. */
export const PROJECT_PARAM = 'project';

/** The project a query string (`?project=demo&…`) names, when it names a valid one. */
export const projectOfSearch = (search: string): string | undefined => {
  const project = new URLSearchParams(search).get(PROJECT_PARAM);
  return project !== null && isValidProjectId(project) ? project : undefined;
};

/** `to` (a path, with or without a query and `#hash`) with `?project=` set to `project`. */
export const withProject = (to: string, project: string): string => {
  const hashAt = to.indexOf('#');
  const hash = hashAt === -1 ? '' : to.slice(hashAt);
  const beforeHash = hashAt === -1 ? to : to.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const params = new URLSearchParams(queryAt === -1 ? '' : beforeHash.slice(queryAt + 1));
  params.set(PROJECT_PARAM, project);
  return `${path}?${params.toString()}${hash}`;
};

/**
 * A link target that keeps the project of the page it is on (`search`, the
 * current query): a `to` naming its own project keeps that one; without a
 * project on either, `to` is returned as it is.
 */
export const keepProject = (to: string, search: string): string => {
  const queryAt = to.indexOf('?');
  const own = queryAt === -1 ? undefined : projectOfSearch(to.slice(queryAt).split('#')[0] ?? '');
  if (own !== undefined) return to;
  const current = projectOfSearch(search);
  return current === undefined ? to : withProject(to, current);
};

/**
 * Where the project switcher goes: the same page in `project`, except a
 * job's page (the job belongs to the project left) goes to the job list.
 */
export const switchProjectTarget = (path: string, project: string): string =>
  withProject(path.startsWith('/jobs/') ? '/jobs' : path, project);
