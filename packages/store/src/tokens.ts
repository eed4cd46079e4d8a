import { createHash, randomBytes } from 'node:crypto';
import { StratusError, isValidProjectId } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { asHash, execPipeline } from './redis-util.js';

export const TOKEN_ROLES = ['viewer', 'editor', 'admin'] as const;
/** viewer: read; editor: submit, cancel, deploy, predict; admin: everything, incl. tokens. */
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** Every Stratus token starts with this, so scanners and people recognise a leaked one. */
export const TOKEN_PREFIX = 'stratus_';

/** The id of the token `ensureAdminToken` registers (STRATUS_ADMIN_TOKEN). */
export const ADMIN_TOKEN_ID = 'admin';

/** What a token grants; never the token itself. */
export interface TokenInfo {
  readonly tokenId: string;
  /** A project id, or `*` for every project. */
  readonly project: string;
  readonly role: TokenRole;
  readonly description: string;
  readonly createTime: string;
}

export interface NewToken {
  readonly project: string;
  readonly role: TokenRole;
  readonly description?: string;
}

/** What a verified token carries, for authorization. */
export type TokenIdentity = Pick<TokenInfo, 'tokenId' | 'project' | 'role'>;

/**
 * Tokens are stored as SHA-256 digests, never in plain text. A fast,
 * unsalted hash is enough here: generated tokens carry 256 random bits, so
 * guessing a preimage is hopeless whatever the hash speed (slow salted hashes
 * exist to protect low-entropy passwords), and a deterministic digest lets
 * the digest itself be the lookup key, so verification is one HGETALL.
 * STRATUS_ADMIN_TOKEN is the operator's choice, so its strength is theirs
 * (config demands 16+ characters; `stratus serve` generates a random one).
 */
const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The event published (`{tokenId}`) when a token stops working: revoked, or
 * an admin token replaced. Servers that cache verified tokens drop it at once.
 */
export const TOKEN_REVOKED_EVENT = 'token-revoked';

const checkGrant = (grant: NewToken): void => {
  if (!(TOKEN_ROLES as readonly string[]).includes(grant.role)) {
    throw new StratusError('INVALID_ARGUMENT', {
      detail: `role "${grant.role}" is not one of ${TOKEN_ROLES.join(', ')}`,
    });
  }
  if (grant.project !== '*' && !isValidProjectId(grant.project)) {
    throw new StratusError('INVALID_ARGUMENT', {
      detail: `token project "${grant.project}" must be a project id or *`,
    });
  }
};

const store = async (
  ctx: StoreContext,
  token: string,
  info: TokenInfo,
  replaces?: string,
): Promise<void> => {
  const { tokens } = ctx.keys;
  const transaction = ctx.redis.multi();
  if (replaces !== undefined) {
    transaction
      .unlink(tokens.byHash(replaces))
      .publish(ctx.keys.channel(TOKEN_REVOKED_EVENT), JSON.stringify({ tokenId: info.tokenId }));
  }
  transaction
    .hset(tokens.byHash(digest(token)), { ...info })
    .hset(tokens.ids, info.tokenId, digest(token));
  await execPipeline(transaction);
};

const decodeInfo = (hash: Record<string, string>): TokenInfo | undefined =>
  hash.tokenId === undefined
    ? undefined
    : {
        tokenId: hash.tokenId,
        project: hash.project ?? '',
        role: (hash.role ?? 'viewer') as TokenRole,
        description: hash.description ?? '',
        createTime: hash.createTime ?? '',
      };

/** Create a token; the plaintext is returned this once and stored only as a digest. */
export const createToken = async (
  ctx: StoreContext,
  grant: NewToken,
): Promise<{ token: string; info: TokenInfo }> => {
  checkGrant(grant);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const info: TokenInfo = {
    tokenId: randomBytes(8).toString('hex'),
    project: grant.project,
    role: grant.role,
    description: grant.description ?? '',
    createTime: ctx.now().toISOString(),
  };
  await store(ctx, token, info);
  return { token, info };
};

/** Who a presented token belongs to, or undefined when it is unknown or revoked. */
export const verifyToken = async (
  ctx: StoreContext,
  token: string,
): Promise<TokenIdentity | undefined> => {
  if (token.length === 0) return undefined;
  const info = decodeInfo(asHash(await ctx.redis.hgetall(ctx.keys.tokens.byHash(digest(token)))));
  return info === undefined
    ? undefined
    : { tokenId: info.tokenId, project: info.project, role: info.role };
};

/** Every token's grant, oldest first (no secrets: the store has none to show). */
export const listTokens = async (ctx: StoreContext): Promise<TokenInfo[]> => {
  const digests = Object.values(await ctx.redis.hgetall(ctx.keys.tokens.ids));
  if (digests.length === 0) return [];
  const pipeline = ctx.redis.pipeline();
  for (const hash of digests) pipeline.hgetall(ctx.keys.tokens.byHash(hash));
  const infos = (await execPipeline(pipeline)).flatMap((reply) => decodeInfo(asHash(reply)) ?? []);
  return infos.sort(
    (a, b) => a.createTime.localeCompare(b.createTime) || a.tokenId.localeCompare(b.tokenId),
  );
};

/** Revoke a token by id; TOKEN_NOT_FOUND when there is none. */
export const revokeToken = async (ctx: StoreContext, tokenId: string): Promise<void> => {
  const { tokens } = ctx.keys;
  const hash = await ctx.redis.hget(tokens.ids, tokenId);
  if (hash === null) throw new StratusError('TOKEN_NOT_FOUND', { tokenId });
  const [removed] = await execPipeline(
    ctx.redis
      .multi()
      .hdel(tokens.ids, tokenId)
      .unlink(tokens.byHash(hash))
      .publish(ctx.keys.channel(TOKEN_REVOKED_EVENT), JSON.stringify({ tokenId })),
  );
  if (removed !== 1) throw new StratusError('TOKEN_NOT_FOUND', { tokenId });
};

/**
 * Register `token` (STRATUS_ADMIN_TOKEN, or the one `stratus serve`
 * generated) as the `*`/admin token with id {@link ADMIN_TOKEN_ID}.
 * Idempotent; a different token replaces the previous one, which stops working.
 */
export const ensureAdminToken = async (ctx: StoreContext, token: string): Promise<TokenInfo> => {
  if (token.length < 16) {
    throw new StratusError('INVALID_CONFIG', {
      detail: 'the admin token must be at least 16 characters',
    });
  }
  const { tokens } = ctx.keys;
  const previous = await ctx.redis.hget(tokens.ids, ADMIN_TOKEN_ID);
  if (previous === digest(token)) {
    const existing = decodeInfo(asHash(await ctx.redis.hgetall(tokens.byHash(previous))));
    if (existing !== undefined) return existing;
  }
  const info: TokenInfo = {
    tokenId: ADMIN_TOKEN_ID,
    project: '*',
    role: 'admin',
    description: 'administrator (STRATUS_ADMIN_TOKEN)',
    createTime: ctx.now().toISOString(),
  };
  await store(ctx, token, info, previous ?? undefined);
  return info;
};
