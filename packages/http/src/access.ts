import type { TokenIdentity } from '@stratus/store';

/**
 * Who may call a route. `public`: anyone (health, docs); `authenticated`:
 * any valid token; `viewer` < `editor` < `admin`: at least that role, and on
 * a `/projects/{project}/…` route a token of that project (or `*`). Admin
 * routes outside a project (tokens) need an admin token of project `*`.
 */
export type Access = 'public' | 'authenticated' | 'viewer' | 'editor' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required: every route says who may call it (the auth plugin refuses routes without). */
    access?: Access;
    /**
     * The project a route without a `{project}` path parameter serves (the TF
     * Serving and KServe paths serve config.defaultProject): tokens are checked against it.
     */
    project?: string;
  }
  interface FastifyInstance {
    /** Drop a token from the auth cache (the tokens route calls it on revoke). */
    forgetToken(tokenId: string): void;
  }
  interface FastifyRequest {
    /** The verified token's grant; undefined on public routes. */
    identity: TokenIdentity | undefined;
  }
}
