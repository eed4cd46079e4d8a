import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import {
  StratusError,
  coerceError,
  pointerToFieldPath,
  toGoogleError,
  type FieldViolation,
} from '@stratus/spec';

interface AjvLikeError {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** Field violations from ajv-style errors (a plugin's own schema), with JS-like field paths. */
const ajvViolations = (errors: readonly AjvLikeError[], part: string): FieldViolation[] =>
  errors.map((error) => {
    const base = pointerToFieldPath(error.instancePath ?? '');
    const extra = error.params?.additionalProperty ?? error.params?.missingProperty;
    const field = typeof extra === 'string' ? (base === '' ? extra : `${base}.${extra}`) : base;
    return { field: field === '' ? part : field, description: error.message ?? 'is invalid' };
  });

/** Map fastify's own errors (body limit, content type, JSON, ajv) to registry errors. */
const fromFastifyError = (error: FastifyError, request: FastifyRequest, bodyLimit: number) => {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new StratusError('PAYLOAD_TOO_LARGE', { limit: bodyLimit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new StratusError('UNSUPPORTED_MEDIA_TYPE', {
        contentType: request.headers['content-type'] ?? '',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new StratusError('INVALID_JSON', {
        detail: 'the body is empty; send {} for no fields',
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new StratusError('INVALID_JSON', { detail: 'it cannot be parsed' });
    default:
      break;
  }
  if (Array.isArray(error.validation)) {
    const violations = ajvViolations(error.validation, error.validationContext ?? 'request');
    return new StratusError(
      'INVALID_ARGUMENT',
      { detail: violations.map((v) => `${v.field}: ${v.description}`).join('; ') },
      { violations },
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Any other client mistake fastify detects stays a 4xx, never a 500.
    return new StratusError('INVALID_ARGUMENT', { detail: error.message });
  }
  return undefined;
};

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * What a request no route matched is: 405 when its path has routes for
     * other methods (the `Allow` header set on `reply`), else 404. The errors
     * plugin answers it in the Google shape; a not-found handler of its own
     * (under a protocol's prefix) can answer it in another.
     */
    routeMiss(request: FastifyRequest, reply: FastifyReply): StratusError;
  }
}

const send = (reply: FastifyReply, error: StratusError): FastifyReply => {
  if (error.reason === 'UNAUTHENTICATED') {
    reply.header('www-authenticate', 'Bearer realm="stratus"');
  }
  return reply.code(error.httpStatus).type('application/json').send(toGoogleError(error));
};

/** Longest path parameter (ids are up to 128 characters; find-my-way defaults to 100). */
export const MAX_PARAM_LENGTH = 256;

const METHODS: readonly HTTPMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Every error leaves in the Google shape `{error: {code, status, message,
 * details}}`: StratusErrors as they are, fastify's client errors mapped to
 * registry codes (413, 415, INVALID_JSON, validation), unknown routes 404 and
 * known paths with another method 405 (with `Allow`). Only a real fault is a
 * 500, logged with its stack; clients get the request id to quote.
 */
export const errorsPlugin = fp(
  (app: FastifyInstance, options: { readonly bodyLimit: number }) => {
    // A second router that knows every path, to tell 404 from 405.
    const paths = FindMyWay({ maxParamLength: MAX_PARAM_LENGTH });
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if ((METHODS as readonly string[]).includes(method)) {
          paths.on(method as HTTPMethod, route.url, () => undefined);
        }
      }
    });

    const routeMiss = (request: FastifyRequest, reply: FastifyReply): StratusError => {
      const path = request.url.split('?')[0] ?? '/';
      const allow = METHODS.filter((method) => paths.find(method, path) !== null);
      if (allow.length > 0 && !allow.includes(request.method as HTTPMethod)) {
        reply.header('allow', allow.join(', '));
        return new StratusError('METHOD_NOT_ALLOWED', {
          method: request.method,
          path,
          allow: allow.join(', '),
        });
      }
      return new StratusError('ROUTE_NOT_FOUND', { method: request.method, path });
    };
    app.decorate('routeMiss', routeMiss);
    app.setNotFoundHandler((request, reply) => send(reply, routeMiss(request, reply)));

    app.setErrorHandler((raw: unknown, request, reply) => {
      const error = raw instanceof StratusError ? raw : undefined;
      const mapped =
        error ?? fromFastifyError(raw as FastifyError, request, options.bodyLimit) ?? undefined;
      if (mapped !== undefined) {
        if (mapped.httpStatus >= 500) request.log.error({ err: mapped }, mapped.message);
        else request.log.info({ reason: mapped.reason }, mapped.message);
        return send(reply, mapped);
      }
      const err = coerceError(raw);
      request.log.error({ err }, 'request failed');
      return send(
        reply,
        new StratusError('INTERNAL', { detail: `request ${request.id} failed` }, { cause: err }),
      );
    });
  },
  { name: 'stratus-errors' },
);
