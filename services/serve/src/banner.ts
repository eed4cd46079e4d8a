import { redactRedisUrl, type StratusConfig } from '@stratus/config';
import type { StratusServer } from './serve.js';

/** Where an operator finds the admin token Stratus did not print. */
const tokenWhereabouts = (server: StratusServer): string => {
  const { adminToken } = server;
  const from =
    adminToken.source === 'env'
      ? 'STRATUS_ADMIN_TOKEN'
      : `${adminToken.file ?? 'admin-token'} (kept from an earlier start)`;
  return `  Sign in with the admin token from ${from}: ${server.url}/?token=<token>`;
};

/**
 * What `npm start` / `stratus serve` print once up. The dashboard URL carries
 * the admin token only when Stratus generated it on this start: a token the
 * operator supplied, or one kept from an earlier start, stays out of stdout
 * (and so out of service logs).
 */
export const startupBanner = (
  server: StratusServer,
  config: Pick<StratusConfig, 'bucketsRoot'>,
): string => {
  const redisUrl = redactRedisUrl(server.redis.url);
  const redis = server.redis.started
    ? `started here (${redisUrl}, pid ${String(server.redis.pid)})`
    : redisUrl;
  const generated = server.adminToken.source === 'generated';
  return [
    `Stratus is running: ${generated ? server.dashboardUrl : `${server.url}/`}`,
    ...(generated
      ? [`  Admin token generated and kept in ${server.adminToken.file ?? 'admin-token'}`]
      : [tokenWhereabouts(server)]),
    `  API ${server.url}; Redis ${redis}; bucket root ${config.bucketsRoot}`,
    `  CLI configured in ${server.cliConfig}`,
    '',
  ].join('\n');
};
