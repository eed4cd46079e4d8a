import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { ref, responses } from '@stratus/http';

/** A viewer's GET of one resource or of a page of them. */
export interface ReadRoute<Params, Query> {
  readonly url: string;
  /** The OpenAPI tag. */
  readonly tag: string;
  readonly summary: string;
  readonly params: TSchema;
  /** The query string's schema (a list's `pageSize`, `pageToken`, `filter`). */
  readonly querystring?: TSchema;
  /** The shared schema of the 200 body (see `SHARED_SCHEMAS`). */
  readonly response: TSchema;
  readonly handler: (
    request: FastifyRequest<{ Params: Params; Querystring: Query }>,
  ) => Promise<unknown>;
}

/**
 * Register a read route: viewer access, the route's params and query
 * validated, its 200 body and the Google error shape documented.
 */
export const readRoute = <Params, Query = Record<string, never>>(
  app: FastifyInstance,
  route: ReadRoute<Params, Query>,
): void => {
  app.get<{ Params: Params; Querystring: Query }>(
    route.url,
    {
      config: { access: 'viewer' },
      schema: {
        tags: [route.tag],
        summary: route.summary,
        params: route.params,
        ...(route.querystring === undefined ? {} : { querystring: route.querystring }),
        response: responses({ 200: ref(route.response) }),
      },
    },
    async (request) => route.handler(request),
  );
};
