import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { TOKEN_PREFIX } from '@stratus/store';
import { keepSecret } from './secret-file.js';

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
  const kept = await keepSecret(
    file,
    () => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`,
  );
  return { token: kept.value, source: kept.created ? 'generated' : 'file', file };
};
