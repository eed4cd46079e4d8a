import type { FastifyPluginAsync } from 'fastify';
import {
  CreateTokenRequestSchema,
  CreatedTokenSchema,
  ListTokensResponseSchema,
  type CreateTokenRequest,
  type CreatedToken,
} from '@stratus/spec';
import { ref, responses } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import { EmptySchema, TokenParamsSchema } from '../schemas.js';
import { writeRoute } from './write-route.js';

/** API tokens (admin only): create (the secret is returned once), list grants, revoke. */
export const tokensRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store } = deps;

  writeRoute<Record<string, never>, CreateTokenRequest>(app, deps, {
    method: 'POST',
    url: '/v1/tokens',
    tag: 'tokens',
    summary: 'Create a token; the response is the only place its secret appears',
    access: 'admin',
    body: ref(CreateTokenRequestSchema),
    response: ref(CreatedTokenSchema),
    handler: async (request, reply): Promise<CreatedToken> => {
      const { token, info } = await store.tokens.create(request.body);
      request.log.info(
        { tokenId: info.tokenId, project: info.project, role: info.role },
        'token created',
      );
      reply.header('cache-control', 'no-store');
      return { ...info, token };
    },
  });

  app.get(
    '/v1/tokens',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tokens'],
        summary: 'List tokens (grants only; secrets are never stored)',
        response: responses({ 200: ref(ListTokensResponseSchema) }),
      },
    },
    async () => ({ tokens: await store.tokens.list() }),
  );

  writeRoute<{ tokenId: string }>(app, deps, {
    method: 'DELETE',
    url: '/v1/tokens/:tokenId',
    tag: 'tokens',
    summary: 'Revoke a token; it stops working at once',
    access: 'admin',
    params: TokenParamsSchema,
    response: EmptySchema,
    handler: async (request) => {
      await store.tokens.revoke(request.params.tokenId);
      // The event reaches every server; this one forgets the token before it answers.
      app.forgetToken(request.params.tokenId);
      request.log.info({ tokenId: request.params.tokenId }, 'token revoked');
      return {};
    },
  });
};
