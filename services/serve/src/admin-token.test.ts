import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAdminToken } from './admin-token.js';

let home = '';
afterEach(async () => rm(home, { recursive: true, force: true }));

describe('resolveAdminToken', () => {
  it('generates a token once under $STRATUS_HOME (0600) and keeps it across starts', async () => {
    home = join(await mkdtemp(join(tmpdir(), 'stratus-token-')), 'home');
    const first = await resolveAdminToken(home, undefined);
    expect(first.source).toBe('generated');
    expect(first.token).toMatch(/^stratus_[A-Za-z0-9_-]{43}$/);
    expect(first.file).toBe(join(home, 'admin-token'));
    expect((await readFile(join(home, 'admin-token'), 'utf8')).trim()).toBe(first.token);
    expect((await stat(join(home, 'admin-token'))).mode & 0o777).toBe(0o600);
    expect(await resolveAdminToken(home, undefined)).toEqual({
      token: first.token,
      source: 'file',
      file: join(home, 'admin-token'),
    });
  });

  it('uses STRATUS_ADMIN_TOKEN and writes nothing', async () => {
    home = await mkdtemp(join(tmpdir(), 'stratus-token-'));
    expect(await resolveAdminToken(home, 'a-token-from-the-env')).toEqual({
      token: 'a-token-from-the-env',
      source: 'env',
    });
    await expect(stat(join(home, 'admin-token'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('hands concurrent first starts the same token', async () => {
    home = await mkdtemp(join(tmpdir(), 'stratus-token-'));
    const tokens = await Promise.all([1, 2, 3, 4].map(() => resolveAdminToken(home, undefined)));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
  });
});
