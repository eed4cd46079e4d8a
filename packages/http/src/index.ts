/// <reference types="@fastify/swagger" preserve="true" />
export type { Access } from './access.js';
export { authPlugin, authorize, bearerToken, type AuthOptions } from './auth-plugin.js';
export { createBaseApp, type BaseAppOptions } from './base-app.js';
export { MAX_PARAM_LENGTH, errorsPlugin } from './errors-plugin.js';
export { healthRoutes, type HealthDeps } from './health-routes.js';
export { DEFAULT_HTTP_OPTIONS, type HttpOptions } from './http-options.js';
export { parseJsonBody, useJsonOnly, useJsonParser } from './json-parser.js';
export { listenApp, type ListeningApp } from './listen.js';
export { createApiLogger, redactUrl, safeChildLogger } from './logger.js';
export { openApiPlugin } from './openapi.js';
export { SHARED_SCHEMAS, idParam, ref, resolveSchema, responses } from './shared-schemas.js';
export { ALL, applyFieldMask, parseFieldMask, type FieldMask } from './field-mask.js';
export { SYSTEM_PARAMETERS, useSystemParams } from './system-params.js';
export { bodyValidator, serializerCompiler, validatorCompiler } from './validation.js';
