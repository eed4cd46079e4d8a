import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOKEN_PREFIX } from '@stratus/store';

/** The admin token and where it came from. */
export interface AdminToken {
  readonly token: string;
  /** `env`: STRATUS_ADMIN_TOKEN; `file`: kept from an earlier start; `generated`: new. */
  readonly source: 'env' | 'file' | 'generated';
  /** `$STRATUS_HOME/admin-token`, when the token lives there. */
  readonly file?: string;
}

/**
 * STRATUS_ADMIN_TOKEN when set; otherwise the token kept in
 * `$STRATUS_HOME/admin-token` (mode 0600), generated on the first start.
 */
export const resolveAdminToken = async (
  home: string,
  fromEnv: string | undefined,
): Promise<AdminToken> => {
  if (fromEnv !== undefined) return { token: fromEnv, source: 'env' };
  const file = join(home, 'admin-token');
  const read = async (): Promise<string | undefined> =>
    (await readFile(file, 'utf8').catch(() => undefined))?.trim() || undefined;
  const kept = await read();
  if (kept !== undefined) return { token: kept, source: 'file', file };
  await mkdir(home, { recursive: true, mode: 0o700 });
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  try {
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    return { token, source: 'generated', file };
  } catch {
    // Another instance on the same home wrote it first: use theirs.
    const theirs = await read();
    if (theirs === undefined) throw new Error(`cannot create ${file}`);
    return { token: theirs, source: 'file', file };
  }
};
