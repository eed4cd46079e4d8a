import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { responses } from './shared-schemas.js';

/**
 * The OpenAPI 3 document at /openapi.json and Swagger UI at /docs, both
 * generated from the routes' TypeBox schemas. Shared schemas are components
 * named by their `$id`. Swagger UI serves its bundled assets (works offline).
 * Both are public: they describe the API and hold no data (a browser cannot
 * send a bearer header when opening /docs).
 */
export const openApiPlugin = fp(
  async (app: FastifyInstance, options: { readonly version: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Stratus API',
          description:
            'Self-hosted Cloud ML Engine: training jobs, logs and metrics, models and versions, online prediction, tokens. Errors use the Google API shape.',
          version: options.version,
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        },
        security: [{ bearer: [] }],
        tags: [
          { name: 'jobs', description: 'Training jobs' },
          { name: 'logs', description: 'Job logs and metrics (list or SSE)' },
          { name: 'tokens', description: 'API tokens (admin)' },
          { name: 'workers', description: 'Workers and queues' },
          { name: 'models', description: 'Models, versions and long-running operations' },
          { name: 'predict', description: 'Online prediction (Cloud ML, TF Serving, KServe v2)' },
          { name: 'ops', description: 'Health, readiness, Prometheus metrics, this document' },
        ],
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) =>
          typeof json.$id === 'string' ? json.$id : `def-${i}`,
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get(
      '/openapi.json',
      {
        config: { access: 'public' },
        schema: {
          tags: ['ops'],
          summary: 'This OpenAPI document',
          security: [],
          response: responses({ 200: { type: 'object', additionalProperties: true } }),
        },
      },
      async () => app.swagger(),
    );
  },
  { name: 'stratus-openapi' },
);
