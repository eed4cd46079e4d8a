import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StratusError } from '@stratus/spec';
import { applyFieldMask, parseFieldMask, type FieldMask } from './field-mask.js';

/**
 * Google's standard query parameters that any route takes (the Python
 * client sends `alt=json` on every call): `alt` (only `json`),
 * `prettyPrint` (`true` indents the JSON; the default is compact),
 * `$.xgafv` (error format `1` or `2`; both get the same Google error shape)
 * and `fields` (a partial response, see field-mask.ts).
 */
export const SYSTEM_PARAMETERS = ['alt', 'prettyPrint', '$.xgafv', 'fields'] as const;

const invalid = (name: string, detail: string): StratusError =>
  new StratusError('INVALID_ARGUMENT', { detail: `${name}: ${detail}` });

/** The one string value of a parameter (a repeated one is a 400). */
const single = (name: string, value: unknown): string => {
  if (typeof value === 'string') return value;
  throw invalid(name, 'is given more than once');
};

interface SystemParams {
  readonly pretty: boolean;
  readonly mask?: FieldMask;
}

/** Take the system parameters out of `query` (so route schemas never see them) and check them. */
const takeSystemParams = (query: Record<string, unknown>): SystemParams | undefined => {
  let found = false;
  let pretty = false;
  let mask: FieldMask | undefined;
  for (const name of SYSTEM_PARAMETERS) {
    const raw = query[name];
    if (raw === undefined) continue;
    found = true;
    delete query[name];
    const value = single(name, raw);
    if (name === 'alt') {
      if (value !== 'json') throw invalid(name, `"${value}" is not supported; only "json" is`);
    } else if (name === 'prettyPrint') {
      if (value !== 'true' && value !== 'false') {
        throw invalid(name, `must be "true" or "false", not "${value}"`);
      }
      pretty = value === 'true';
    } else if (name === '$.xgafv') {
      if (value !== '1' && value !== '2') throw invalid(name, `must be 1 or 2, not "${value}"`);
    } else if (value !== '') {
      mask = parseFieldMask(value);
    }
  }
  if (!found) return undefined;
  return mask === undefined ? { pretty } : { pretty, mask };
};

/** A serializer for one reply: the mask on success bodies, indentation when asked. */
const serializerFor =
  (reply: FastifyReply, params: SystemParams) =>
  (payload: unknown): string => {
    // A body the route serialized itself is sent as it is.
    if (typeof payload === 'string') return payload;
    const body =
      params.mask !== undefined && reply.statusCode < 400
        ? (applyFieldMask(payload, params.mask) ?? {})
        : payload;
    return params.pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
  };

/**
 * Accept the standard system parameters on every route, in onRequest: they
 * are removed from the query before validation, and a request that has any
 * gets its own serializer. A callback hook that only looks at the URL for
 * requests without a query string (the predictor's hot path).
 */
export const useSystemParams = (app: FastifyInstance): void => {
  app.addHook('onRequest', (request: FastifyRequest, reply, done) => {
    if (!request.url.includes('?')) return done();
    let params: SystemParams | undefined;
    try {
      params = takeSystemParams(request.query as Record<string, unknown>);
    } catch (error) {
      return done(error as StratusError);
    }
    if (params !== undefined && (params.pretty || params.mask !== undefined)) {
      reply.serializer(serializerFor(reply, params));
    }
    done();
  });
};
