import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import {
  StratusError,
  coerceError,
  formatJobName,
  formatModelName,
  formatOperationName,
  formatVersionName,
} from '@stratus/spec';
import {
  TOKEN_REVOKED_EVENT,
  type StoreAreas,
  type Subscription,
  type TokenIdentity,
  type TokenRole,
} from '@stratus/store';
import type { Access } from './access.js';

const RANK: Readonly<Record<TokenRole, number>> = { viewer: 1, editor: 2, admin: 3 };

const withArticle = (role: TokenRole): string => (role === 'viewer' ? `a ${role}` : `an ${role}`);

const BEARER = /^Bearer[ ]+([^\s]+)\s*$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : BEARER.exec(header)?.[1];

const unauthenticated = (detail: string): StratusError =>
  new StratusError('UNAUTHENTICATED', { detail });

/** The 404 for another project's resource: the most specific resource the path names. */
const hiddenResource = (
  project: string,
  params: Readonly<Record<string, string | undefined>>,
): StratusError => {
  const { jobId, model, version, operation } = params;
  if (jobId !== undefined) {
    return new StratusError('JOB_NOT_FOUND', { name: formatJobName(project, jobId) });
  }
  if (model !== undefined && version !== undefined) {
    return new StratusError('VERSION_NOT_FOUND', {
      name: formatVersionName(project, model, version),
    });
  }
  if (model !== undefined) {
    return new StratusError('MODEL_NOT_FOUND', { name: formatModelName(project, model) });
  }
  if (operation !== undefined) {
    return new StratusError('OPERATION_NOT_FOUND', {
      name: formatOperationName(project, operation),
    });
  }
  return new StratusError('PROJECT_NOT_FOUND', { project });
};

/**
 * Refuse a request the identity may not make. Another project's resources
 * are 404 (as if they did not exist), a role too low is 403.
 */
export const authorize = (
  identity: TokenIdentity,
  access: Exclude<Access, 'public' | 'authenticated'>,
  params: Readonly<Record<string, string | undefined>>,
  /** What is being done, for the refusal's message (a function: built only on refusal). */
  action: string | (() => string),
): void => {
  const describe = (): string => (typeof action === 'string' ? action : action());
  const { project } = params;
  if (project !== undefined && identity.project !== '*' && identity.project !== project) {
    throw hiddenResource(project, params);
  }
  if (RANK[identity.role] < RANK[access]) {
    throw new StratusError('PERMISSION_DENIED', {
      detail: `${withArticle(identity.role)} token may not ${describe()}; it needs the ${access} role`,
    });
  }
  if (project === undefined && access === 'admin' && identity.project !== '*') {
    throw new StratusError('PERMISSION_DENIED', {
      detail: `${describe()} needs an admin token for every project (*), not one for ${identity.project}`,
    });
  }
};

const describeAction = (request: FastifyRequest): string =>
  `${request.method} ${request.routeOptions.url ?? request.url}`;

export interface AuthOptions {
  readonly store: StoreAreas<'events' | 'tokens'>;
  /**
   * How long a verified token is trusted without asking Redis again (0: ask
   * every time). Revocations still apply at once: the server drops a revoked
   * token on the store's `token-revoked` event. @defaultValue 0
   */
  readonly cacheMs?: number;
}

/** Verified tokens kept at most; past it the least recently used is dropped. */
const MAX_CACHED_TOKENS = 10_000;

/**
 * Bearer-token authentication and role/project authorization, in onRequest
 * (before the body is read). Routes declare `config.access`; a route without
 * one fails at startup so none is left open by mistake.
 */
export const authPlugin = fp(
  (app: FastifyInstance, options: AuthOptions) => {
    // Caching needs the revocation events: without a subscription, Redis is asked every time.
    let cacheMs = 0;
    /** Verified identities by token digest, each trusted for cacheMs (an expired one is a miss). */
    const cache = new LRUCache<string, TokenIdentity>({ max: MAX_CACHED_TOKENS });
    const forget = (tokenId: string): void => {
      const revoked = [...cache.entries()].filter(([, identity]) => identity.tokenId === tokenId);
      for (const [key] of revoked) cache.delete(key);
    };
    /** The identity of a token verified less than cacheMs ago, without a round trip. */
    const cached = (key: string): TokenIdentity | undefined =>
      cacheMs <= 0 ? undefined : cache.get(key);
    const verify = async (token: string, key: string): Promise<TokenIdentity | undefined> => {
      const identity = await options.store.tokens.verify(token);
      if (identity === undefined || cacheMs <= 0) return identity;
      cache.set(key, identity, { ttl: cacheMs });
      return identity;
    };
    app.decorate('forgetToken', forget);
    if ((options.cacheMs ?? 0) > 0) {
      let subscription: Subscription | undefined;
      app.addHook('onReady', async () => {
        try {
          subscription = await options.store.events.subscribe<{ tokenId?: string }>(
            TOKEN_REVOKED_EVENT,
            (event) => {
              if (typeof event.tokenId === 'string') forget(event.tokenId);
            },
          );
          cacheMs = options.cacheMs ?? 0;
        } catch (error) {
          app.log.warn({ err: coerceError(error) }, 'token cache off: no revocation events');
        }
      });
      app.addHook('onClose', async () => subscription?.close());
    }
    app.decorateRequest('identity', undefined);
    app.addHook('onRoute', (route) => {
      const access = (route.config as { access?: Access } | undefined)?.access;
      if (access === undefined && route.url.startsWith('/v1/')) {
        throw new TypeError(`route ${route.method.toString()} ${route.url} declares no access`);
      }
    });
    /** Role and project checks once the token's identity is known. */
    const admit = (request: FastifyRequest, access: Access, identity: TokenIdentity): void => {
      request.identity = identity;
      if (access === 'authenticated' || access === 'public') return;
      const params = request.params as Readonly<Record<string, string | undefined>>;
      // Routes outside /projects/{p}/ (TF Serving, KServe) serve one fixed project.
      const project = request.routeOptions.config.project;
      authorize(identity, access, project === undefined ? params : { ...params, project }, () =>
        describeAction(request),
      );
    };
    // A callback hook: a token verified recently is admitted with no promise on the hot path.
    app.addHook('onRequest', (request, _reply, done) => {
      const access = request.routeOptions.config.access;
      // Unknown routes (404) and public ones need nothing.
      if (access === undefined || access === 'public') return done();
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) {
        return done(unauthenticated('send an "Authorization: Bearer <token>" header'));
      }
      const key = cacheMs > 0 ? hash('sha256', token, 'base64') : '';
      const admitted = (identity: TokenIdentity | undefined): void => {
        try {
          if (identity === undefined)
            throw unauthenticated('the bearer token is unknown or revoked');
          admit(request, access, identity);
        } catch (error) {
          return done(coerceError(error));
        }
        done();
      };
      const known = cached(key);
      if (known !== undefined) return admitted(known);
      verify(token, key).then(admitted, (error: unknown) => done(coerceError(error)));
    });
  },
  { name: 'stratus-auth' },
);
