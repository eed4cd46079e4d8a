import { loadConfig } from '@stratus/config';
import { describe, expect, it } from 'vitest';
import { TRIAL_PROCESS_CONFIG_KEYS, trialProcessConfig } from './ipc-protocol.js';

describe('trialProcessConfig', () => {
  it('gives a trial process no Redis URL, token or other secret of the worker', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://:s3cret-redis-password@127.0.0.1:6379',
      STRATUS_ADMIN_TOKEN: 'stratus_admin-token-that-must-not-leak',
      STRATUS_HOME: '/tmp/stratus-ipc-test',
    });
    const sent = JSON.stringify({ type: 'init', config: trialProcessConfig(config) });
    expect(sent).not.toContain('s3cret-redis-password');
    expect(sent).not.toContain('admin-token-that-must-not-leak');
    expect(Object.keys(trialProcessConfig(config)).sort()).toEqual(
      [...TRIAL_PROCESS_CONFIG_KEYS].sort(),
    );
    expect(trialProcessConfig(config).limits).toEqual(config.limits);
  });
});
