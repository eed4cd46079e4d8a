import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { StratusError, coerceError } from '@stratus/spec';

/**
 * A JSON body as the API reads it: an empty body counts as no body (an
 * absent `{}`), a syntax error says where it is (`INVALID_JSON`), and
 * `__proto__`/`constructor` keys are refused rather than risk prototype pollution.
 */
export const parseJsonBody = (text: string): unknown => {
  if (text.trim().length === 0) return undefined;
  try {
    return secureJsonParse.parse(text, undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch (error) {
    throw new StratusError('INVALID_JSON', { detail: coerceError(error).message });
  }
};

/**
 * Read JSON bodies in `app` (and the routes it registers) with `parse`, which
 * gets the raw bytes: a route that can read its body faster than JSON.parse
 * (the predictor's numeric instances) falls back to `parseJsonBody` for the rest.
 */
export const useJsonParser = (
  app: FastifyInstance,
  parse: (bytes: Buffer, request: FastifyRequest) => unknown,
): void => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, parse(body as Buffer, request));
    } catch (error) {
      done(coerceError(error), undefined);
    }
  });
};

/** JSON is the only body type (anything else is 415), read by `parseJsonBody`. */
export const useJsonOnly = (app: FastifyInstance): void => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (error) {
      done(coerceError(error), undefined);
    }
  });
};
