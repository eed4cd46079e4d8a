import type { StratusConfig } from '@stratus/config';
import type { StratusServer } from './serve.js';

/** What `npm start` / `stratus serve` print once up: the dashboard URL with the token first. */
export const startupBanner = (
  server: StratusServer,
  config: Pick<StratusConfig, 'bucketsRoot'>,
): string => {
  const redis = server.redis.started
    ? `started here (${server.redis.url}, pid ${String(server.redis.pid)})`
    : server.redis.url;
  return [
    `Stratus is running: ${server.dashboardUrl}`,
    `  API ${server.url}; Redis ${redis}; bucket root ${config.bucketsRoot}`,
    `  CLI configured in ${server.cliConfig}`,
    '',
  ].join('\n');
};
