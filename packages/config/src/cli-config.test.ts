import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StratusError } from '@stratus/spec';
import { cliConfigPath, resolveCliConfig } from './cli-config.js';
import { readCliConfigFile, updateCliConfigFile } from './cli-config-file.js';
import { storageOptionsFromConfig } from './storage-options.js';

describe('cliConfigPath', () => {
  it('uses ~/.config unless XDG_CONFIG_HOME is an absolute path', () => {
    expect(cliConfigPath({}, { homeDir: '/home/ada' })).toBe(
      '/home/ada/.config/stratus/config.json',
    );
    expect(cliConfigPath({ XDG_CONFIG_HOME: '/xdg' }, { homeDir: '/home/ada' })).toBe(
      '/xdg/stratus/config.json',
    );
    expect(cliConfigPath({ XDG_CONFIG_HOME: 'rel' }, { homeDir: '/home/ada' })).toBe(
      '/home/ada/.config/stratus/config.json',
    );
  });
});

describe('resolveCliConfig', () => {
  const configPath = '/c/config.json';

  it('applies defaults, then file, env and flags in that order', () => {
    expect(resolveCliConfig({ env: {}, file: {}, configPath })).toEqual({
      apiUrl: 'http://127.0.0.1:8080',
      project: 'default',
      token: undefined,
      configPath,
      sources: { 'api-url': 'default', project: 'default', token: 'default' },
    });
    const resolved = resolveCliConfig({
      env: { STRATUS_PROJECT: 'from-env', STRATUS_TOKEN: 'env-token' },
      file: { 'api-url': 'http://files:1/', project: 'from-file', token: 'file-token' },
      flags: { project: 'from-flag' },
      configPath,
    });
    expect(resolved).toMatchObject({
      apiUrl: 'http://files:1',
      project: 'from-flag',
      token: 'env-token',
      sources: { 'api-url': 'file', project: 'flag', token: 'env' },
    });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('names every bad value by its source and never echoes a token', () => {
    const resolve = (): unknown =>
      resolveCliConfig({
        env: { STRATUS_API_URL: 'ftp://x', STRATUS_TOKEN: 'has space' },
        file: { project: 'Bad_Project' },
        configPath,
      });
    expect(resolve).toThrow(StratusError);
    expect(resolve).toThrow(
      expect.objectContaining({
        reason: 'INVALID_CONFIG',
        violations: [
          expect.objectContaining({ field: 'project in /c/config.json' }),
          expect.objectContaining({ field: 'STRATUS_API_URL' }),
          expect.objectContaining({ field: 'STRATUS_TOKEN' }),
        ],
      }),
    );
    expect(resolve).toThrow('STRATUS_API_URL must use http:// or https:// (got "ftp://x")');
    expect(resolve).toThrow('STRATUS_TOKEN must not contain whitespace');
    expect(resolve).not.toThrow('has space');
  });
});

describe('config file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-cli-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is {} when missing and round-trips with mode 0600, keeping unknown keys', async () => {
    const path = join(dir, 'nested', 'stratus', 'config.json');
    expect(await readCliConfigFile(path)).toEqual({});
    await updateCliConfigFile(path, { project: 'demo', token: 'tok' });
    await writeFile(
      path,
      JSON.stringify({ ...JSON.parse(await readFile(path, 'utf8')), future: 1 }),
    );
    await updateCliConfigFile(path, { token: undefined, 'api-url': 'http://h:9' });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      project: 'demo',
      future: 1,
      'api-url': 'http://h:9',
    });
    expect(await readCliConfigFile(path)).toEqual({ project: 'demo', 'api-url': 'http://h:9' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested', 'stratus'))).mode & 0o777).toBe(0o700);
  });

  it('names the file when its JSON or a value is bad', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, '{"project": ');
    await expect(readCliConfigFile(path)).rejects.toMatchObject({
      reason: 'INVALID_CONFIG',
      message: expect.stringContaining(`config file ${path} is not valid JSON`) as unknown,
    });
    await writeFile(path, '{"api-url": "nope"}');
    await expect(readCliConfigFile(path)).rejects.toThrow(
      new StratusError('INVALID_CONFIG', {
        detail: `config file ${path} key api-url must be a URL such as http://127.0.0.1`,
      }),
    );
  });
});

describe('storageOptionsFromConfig', () => {
  it('maps local and gcs', () => {
    const base = {
      bucketsRoot: '/h/buckets',
      storageEmulatorHost: undefined,
      gcsProjectId: undefined,
    };
    expect(storageOptionsFromConfig({ ...base, storage: 'local' })).toEqual({
      backend: 'local',
      root: '/h/buckets',
    });
    expect(
      storageOptionsFromConfig({ ...base, storage: 'gcs', storageEmulatorHost: 'http://e:1' }),
    ).toEqual({ backend: 'gcs', emulatorHost: 'http://e:1' });
  });
});
