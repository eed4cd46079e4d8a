/**
 * The list flags of `jobs list`, `models list` and `versions list` against a
 * real `stratus serve`: --sort-by (over every page), --limit across pages,
 * --page-size, --uri, --filter sent to the server, and --format csv(...).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServedSandbox, type ServedSandbox } from '../serve.test-support.js';
import { jobPath } from './job-views.js';

describe('list flags against `stratus serve`', () => {
  let served: ServedSandbox;
  beforeAll(async () => {
    served = await startServedSandbox();
    for (const [name, team, description] of [
      ['m_b', 'x', 'plain'],
      ['m_a', 'y', 'Iris, "v2"'],
      ['m_c', 'w', 'two\nlines'],
    ] as const) {
      const created = await served.run([
        '-q',
        'models',
        'create',
        name,
        '--description',
        description,
        '--labels',
        `team=${team}`,
      ]);
      expect(created.code, created.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await served?.stop();
  }, 60_000);

  it('sorts with --sort-by (repeatable, ~ descending) before --limit, over every page', async () => {
    const byName = await served.run([
      'models',
      'list',
      '--sort-by',
      '~name',
      '--format',
      'value(name)',
    ]);
    expect(byName.stdout).toBe(
      'projects/default/models/m_c\nprojects/default/models/m_b\nprojects/default/models/m_a\n',
    );
    // One model a page: the last name is found on the last page, then the limit applies.
    const last = await served.run([
      'models',
      'list',
      '--page-size',
      '1',
      '--sort-by',
      '~name',
      '--limit',
      '1',
      '--format',
      'value(name)',
    ]);
    expect(last.stdout).toBe('projects/default/models/m_c\n');
    const twoKeys = await served.run([
      'models',
      'list',
      '--sort-by',
      'labels.team',
      '--sort-by',
      '~name',
      '--format',
      'value(labels.team)',
    ]);
    expect(twoKeys.stdout).toBe('w\nx\ny\n');
  });

  it('stops after --limit items across pages of --page-size, in the server order', async () => {
    const run = await served.run([
      'models',
      'list',
      '--page-size',
      '1',
      '--limit',
      '2',
      '--format',
      'value(name)',
    ]);
    expect(run.stdout).toBe('projects/default/models/m_a\nprojects/default/models/m_b\n');
  });

  it('prints REST URLs with --uri', async () => {
    const run = await served.run(['models', 'list', '--uri', '--limit', '2']);
    expect(run.stdout).toBe(
      `${served.apiUrl}/v1/projects/default/models/m_a\n${served.apiUrl}/v1/projects/default/models/m_b\n`,
    );
    const versions = await served.run(['versions', 'list', '--model', 'm_a', '--uri']);
    expect(versions).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(jobPath('team a', 'iris_1')).toBe('projects/team%20a/jobs/iris_1');
  });

  it('prints --format csv(...) with RFC 4180 quoting, and [no-heading]', async () => {
    const csv = await served.run(['models', 'list', '--format', 'csv(description,labels)']);
    expect(csv.stdout).toBe(
      'description,labels\n"Iris, ""v2""",team=y\nplain,team=x\n"two\nlines",team=w\n',
    );
    const described = await served.run([
      'models',
      'describe',
      'm_b',
      '--format',
      'csv[no-heading](description,labels.team)',
    ]);
    expect(described.stdout).toBe('plain,x\n');
  });

  it('sends --filter to the server: its answer, or its 400 naming the filter', async () => {
    const none = await served.run([
      'jobs',
      'list',
      '--filter',
      'state=RUNNING',
      '--format',
      'json',
    ]);
    expect(none).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    const bad = await served.run(['jobs', 'list', '--filter', 'bogus=1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ERROR: \(stratus\.jobs\.list\) INVALID_ARGUMENT: .*bogus/);
  });

  it('sorts and limits the unpaged lists: auth tokens list and storage ls-buckets', async () => {
    for (const description of ['ci-b', 'ci-c', 'ci-a']) {
      const created = await served.run([
        '-q',
        'auth',
        'tokens',
        'create',
        '--role',
        'viewer',
        '--description',
        description,
      ]);
      expect(created.code, created.stderr).toBe(0);
    }
    const tokens = await served.run([
      'auth',
      'tokens',
      'list',
      '--sort-by',
      '~description',
      '--limit',
      '2',
      '--format',
      'value(description)',
    ]);
    expect(tokens.stdout).toBe('ci-c\nci-b\n');
    for (const bucket of ['list-b', 'list-a', 'list-c']) {
      expect((await served.run(['-q', 'storage', 'mb', `gs://${bucket}`])).code).toBe(0);
    }
    const buckets = await served.run([
      'storage',
      'ls-buckets',
      '--sort-by',
      '~name',
      '--limit',
      '2',
      '--format',
      'csv[no-heading](name,role)',
    ]);
    expect(buckets.stdout).toBe('list-c,OWNER\nlist-b,OWNER\n');
  });

  it('refuses a bad --sort-by, --limit or --format as usage errors (exit 2)', async () => {
    const sort = await served.run(['models', 'list', '--sort-by', '~']);
    expect(sort.code).toBe(2);
    expect(sort.stderr).toContain('"~" is not a field (use FIELD or ~FIELD).');
    expect((await served.run(['jobs', 'list', '--limit', '0'])).code).toBe(2);
    const format = await served.run(['models', 'list', '--format', 'csv(a b)']);
    expect(format.code).toBe(2);
  });
});
