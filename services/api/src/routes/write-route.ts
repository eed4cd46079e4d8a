import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { bodyValidator, responses } from '@stratus/http';
import type { RouteDeps } from '../deps.js';

/** A schema as a route names it: a shared one by `ref(…)`, any other as itself. */
type RouteSchema = TSchema | { readonly $ref: string };

/**
 * A write's request: its body typed as the route's validator returns it
 * (fastify's own typing of a generic body does not resolve to `Body`).
 */
export type WriteRequest<Params, Body, Query> = FastifyRequest<{
  Params: Params;
  Querystring: Query;
}> & { readonly body: Body };

/** A POST, PATCH or DELETE that changes something: an editor's (or an admin's) request. */
export interface WriteRoute<Params, Body, Query> {
  readonly method: 'POST' | 'PATCH' | 'DELETE';
  readonly url: string;
  /** The OpenAPI tag. */
  readonly tag: string;
  readonly summary: string;
  /** Who may call it. @defaultValue 'editor' */
  readonly access?: 'editor' | 'admin';
  readonly params?: TSchema;
  readonly querystring?: TSchema;
  readonly body?: RouteSchema;
  /** The spec validator the body goes through (e.g. `assertValidJobInput`) instead of the schema alone. */
  readonly assertBody?: (body: unknown) => unknown;
  /** The 200 body. */
  readonly response: RouteSchema;
  readonly handler: (
    request: WriteRequest<Params, Body, Query>,
    reply: FastifyReply,
  ) => Promise<unknown>;
}

/**
 * Register a write route: editor access unless it says admin, the per-token
 * write rate limit, its params, query and body validated, its 200 body and
 * the Google error shape documented.
 */
export const writeRoute = <
  Params = Record<string, never>,
  Body = unknown,
  Query = Record<string, never>,
>(
  app: FastifyInstance,
  deps: Pick<RouteDeps, 'writeLimit'>,
  route: WriteRoute<Params, Body, Query>,
): void => {
  app.route<{ Params: Params; Querystring: Query }>({
    method: route.method,
    url: route.url,
    config: { access: route.access ?? 'editor' },
    onRequest: deps.writeLimit,
    ...(route.assertBody === undefined
      ? {}
      : { validatorCompiler: bodyValidator(route.assertBody) }),
    schema: {
      tags: [route.tag],
      summary: route.summary,
      ...(route.params === undefined ? {} : { params: route.params }),
      ...(route.querystring === undefined ? {} : { querystring: route.querystring }),
      ...(route.body === undefined ? {} : { body: route.body }),
      response: responses({ 200: route.response }),
    },
    // The body has passed `assertBody` (or the body schema) before the handler runs.
    handler: async (request, reply) =>
      route.handler(request as WriteRequest<Params, Body, Query>, reply),
  });
};
