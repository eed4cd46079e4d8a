import type { StoreContext } from '../context.js';
import {
  createToken,
  ensureAdminToken,
  listTokens,
  revokeToken,
  verifyToken,
  type NewToken,
  type TokenIdentity,
  type TokenInfo,
} from '../tokens.js';

/** API tokens, stored hashed. */
export interface TokenArea {
  create(grant: NewToken): Promise<{ token: string; info: TokenInfo }>;
  verify(token: string): Promise<TokenIdentity | undefined>;
  list(): Promise<TokenInfo[]>;
  revoke(tokenId: string): Promise<void>;
  ensureAdmin(token: string): Promise<TokenInfo>;
}

export const createTokenArea = (ctx: StoreContext): TokenArea => ({
  create: createToken.bind(undefined, ctx),
  verify: verifyToken.bind(undefined, ctx),
  list: listTokens.bind(undefined, ctx),
  revoke: revokeToken.bind(undefined, ctx),
  ensureAdmin: ensureAdminToken.bind(undefined, ctx),
});
