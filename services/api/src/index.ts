export { API_VERSION, buildApp } from './app.js';
export type { Access } from './access.js';
export {
  DEFAULT_API_OPTIONS,
  type ApiDeps,
  type ApiOptions,
  type ApiPlugin,
  type RouteDeps,
} from './deps.js';
export { createBaseApp, type BaseAppOptions } from './base-app.js';
export { healthRoutes, type HealthDeps } from './routes/health.js';
export { idParam, responses } from './schemas.js';
export { bodyValidator } from './validation.js';
export { parseJsonBody, useJsonParser } from './json-parser.js';
export { startApiServer, type ApiServer, type StartApiServerOptions } from './server.js';
export { listenApp, type ListeningApp } from './listen.js';
export { queueDepths } from './queue-depths.js';
export { planInitialTrials, submitJob, type InitialTrialPlan } from './enqueue.js';
export { cancelJob } from './cancel-job.js';
export { createApiLogger, redactUrl, safeChildLogger } from './logger.js';
export { authorize, bearerToken } from './plugins/auth.js';
export {
  DASHBOARD_CSP,
  DEFAULT_DASHBOARD_DIR,
  dashboardPlugin,
  hasDashboard,
  type DashboardPluginOptions,
} from './plugins/dashboard.js';
export { signatureFromManifest, versionSignatureRoutes } from './routes/version-signature.js';
