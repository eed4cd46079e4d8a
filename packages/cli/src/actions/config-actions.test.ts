import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../cli.test-support.js';

describe('stratus config', () => {
  let sandbox: CliSandbox;
  let configFile: string;
  beforeEach(async () => {
    sandbox = await cliSandbox();
    configFile = join(sandbox.dir, 'xdg', 'stratus', 'config.json');
  });
  afterEach(() => sandbox.cleanup());

  it('stores settings in $XDG_CONFIG_HOME/stratus/config.json with mode 0600', async () => {
    const set = await sandbox.run(['config', 'set', 'api-url', 'http://10.0.0.5:9000/']);
    expect(set).toEqual({
      code: 0,
      stdout: '',
      stderr: `Updated property [api-url] in ${configFile}.\n`,
    });
    expect((await sandbox.run(['config', 'set', 'token', 's3cret-token'])).code).toBe(0);
    expect(JSON.parse(await readFile(configFile, 'utf8'))).toEqual({
      'api-url': 'http://10.0.0.5:9000',
      token: 's3cret-token',
    });
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
    expect((await sandbox.run(['config', 'get', 'api-url'])).stdout).toBe('http://10.0.0.5:9000\n');
  });

  it('resolves file < env < flag, and says where each value came from', async () => {
    await sandbox.run(['config', 'set', 'project', 'from-file']);
    expect((await sandbox.run(['config', 'get', 'project'])).stdout).toBe('from-file\n');
    const env = { STRATUS_PROJECT: 'from-env' };
    expect((await sandbox.run(['config', 'get', 'project'], { env })).stdout).toBe('from-env\n');
    const flag = await sandbox.run(['--project', 'from-flag', 'config', 'get', 'project'], { env });
    expect(flag.stdout).toBe('from-flag\n');
    const list = await sandbox.run(['config', 'list', '--project', 'from-flag'], {
      env: { ...env, STRATUS_TOKEN: 'abcdefghijkl' },
    });
    expect(list.stdout).toBe(
      [
        'KEY      VALUE                  SOURCE',
        'api-url  http://127.0.0.1:8080  default',
        'project  from-flag              flag',
        'token    abcd…kl                env',
        '',
      ].join('\n'),
    );
    const json = await sandbox.run(['config', 'get', 'project', '--format', 'json'], { env });
    expect(JSON.parse(json.stdout)).toEqual({ key: 'project', value: 'from-env', source: 'env' });
    await sandbox.run(['config', 'unset', 'project']);
    expect((await sandbox.run(['config', 'get', 'project'])).stdout).toBe('default\n');
  });

  it('exits 2 for unknown keys and bad values, 1 for a broken config file', async () => {
    const unknown = await sandbox.run(['config', 'set', 'colour', 'blue']);
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ERROR: (stratus.config.set) unknown setting "colour"; settings are api-url, project, token\n',
    });
    const badUrl = await sandbox.run(['config', 'set', 'api-url', 'ftp://x']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toBe(
      'ERROR: (stratus.config.set) api-url must use http:// or https://\n',
    );
    const badEnv = await sandbox.run(['config', 'get', 'project'], {
      env: { STRATUS_PROJECT: 'Not_Valid' },
    });
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toMatch(
      /^ERROR: \(stratus\.config\.get\) INVALID_CONFIG: Invalid configuration: STRATUS_PROJECT must be 1-30 lowercase/,
    );
    await sandbox.run(['config', 'set', 'project', 'demo']);
    await writeFile(configFile, '{"project": "demo",');
    const broken = await sandbox.run(['config', 'get', 'project']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(
      `INVALID_CONFIG: Invalid configuration: config file ${configFile} is not valid JSON`,
    );
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
  });
});
