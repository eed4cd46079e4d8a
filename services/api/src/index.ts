export { API_VERSION, buildApp } from './app.js';
export {
  DEFAULT_API_OPTIONS,
  type ApiDeps,
  type ApiOptions,
  type ApiPlugin,
  type RouteDeps,
} from './deps.js';
export { startApiServer, type ApiServer, type StartApiServerOptions } from './server.js';
export { queueDepths } from './queue-depths.js';
export {
  DASHBOARD_CSP,
  DEFAULT_DASHBOARD_DIR,
  dashboardPlugin,
  hasDashboard,
  type DashboardPluginOptions,
} from './plugins/dashboard.js';
export { versionSignatureRoutes } from './routes/version-signature.js';
