import { describe, expect, it } from 'vitest';
import { keepProject, projectOfSearch, switchProjectTarget, withProject } from './project-url.js';

describe('project URLs', () => {
  it('reads a valid ?project= and ignores a missing or invalid one', () => {
    expect(projectOfSearch('?project=demo')).toBe('demo');
    expect(projectOfSearch('?token=t&project=team-a')).toBe('team-a');
    expect(projectOfSearch('')).toBeUndefined();
    expect(projectOfSearch('?project=')).toBeUndefined();
    expect(projectOfSearch('?project=Bad_Project')).toBeUndefined();
    expect(projectOfSearch('?project=%3Cscript%3E')).toBeUndefined();
  });

  it('sets ?project= on a path, keeping its other parameters and hash', () => {
    expect(withProject('/jobs', 'demo')).toBe('/jobs?project=demo');
    expect(withProject('/jobs/iris_1?trial=2', 'demo')).toBe('/jobs/iris_1?trial=2&project=demo');
    expect(withProject('/models?project=old#v1', 'new')).toBe('/models?project=new#v1');
  });

  it('keeps the current project on links that name none, and a link’s own project', () => {
    expect(keepProject('/models', '?project=demo')).toBe('/models?project=demo');
    expect(keepProject('/jobs/a%20b', '?project=demo&x=1')).toBe('/jobs/a%20b?project=demo');
    expect(keepProject('/jobs/j?project=other', '?project=demo')).toBe('/jobs/j?project=other');
    expect(keepProject('/models', '')).toBe('/models');
    expect(keepProject('/models', '?project=NOT_VALID')).toBe('/models');
  });

  it('switches project on the same page, a job page going to the job list', () => {
    expect(switchProjectTarget('/models', 'b')).toBe('/models?project=b');
    expect(switchProjectTarget('/', 'b')).toBe('/?project=b');
    expect(switchProjectTarget('/jobs/iris_1', 'b')).toBe('/jobs?project=b');
    expect(switchProjectTarget('/jobs', 'b')).toBe('/jobs?project=b');
  });
});
