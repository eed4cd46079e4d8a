import type { FastifyInstance } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { StratusError, coerceError } from '@stratus/spec';

/**
 * JSON is the only body type (anything else is 415). The parser replaces
 * fastify's so a syntax error says where it is (`INVALID_JSON`), an empty
 * body counts as no body (an absent `{}`), and `__proto__`/`constructor`
 * keys are refused rather than risk prototype pollution.
 */
export const useJsonOnly = (app: FastifyInstance): void => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim().length === 0) {
      done(null, undefined);
      return;
    }
    try {
      done(
        null,
        secureJsonParse.parse(text, undefined, {
          protoAction: 'error',
          constructorAction: 'error',
        }),
      );
    } catch (error) {
      done(new StratusError('INVALID_JSON', { detail: coerceError(error).message }), undefined);
    }
  });
};
