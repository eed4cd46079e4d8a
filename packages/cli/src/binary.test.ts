import { execFile, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_VERSION } from './version.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/stratus.js', import.meta.url));

/** Spawn the installed-form binary (bin/stratus.js → dist/main.js) and collect its result. */
const stratus = async (argv: readonly string[], env: Record<string, string> = {}) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...argv], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('the stratus binary', () => {
  beforeAll(() => {
    // The binary runs dist/; build it (a no-op when current, as after `npm run build`).
    const tsc = spawnSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-b', 'packages/cli'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
  }, 300_000);

  it('prints help and its version, exiting 0', async () => {
    const help = await stratus(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: stratus \[options\] \[command\]\n/);
    for (const group of [
      'jobs',
      'models',
      'versions',
      'predict',
      'local',
      'storage',
      'config',
      'auth',
      'serve',
      'worker',
      'predictor',
      'api',
      'completion',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`\\n  ${group}\\b`));
    }
    const version = await stratus(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${CLI_VERSION}\n`, stderr: '' });
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(pkg.version).toBe(CLI_VERSION);
  });

  it('exits 2 with one line for an unknown flag or a missing argument', async () => {
    const unknown = await stratus(['jobs', 'list', '--bogus']);
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: "ERROR: (stratus.jobs.list) unknown option '--bogus'\n",
    });
    const missing = await stratus(['jobs', 'describe']);
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: "ERROR: (stratus.jobs.describe) missing required argument 'job'\n",
    });
    const typo = await stratus(['jobz']);
    expect(typo).toEqual({
      code: 2,
      stdout: '',
      stderr: "ERROR: (stratus) unknown command 'jobz' (Did you mean jobs?)\n",
    });
    const noModel = await stratus(['versions', 'create', 'v1', '--from-job', 'j1']);
    expect(noModel).toEqual({
      code: 2,
      stdout: '',
      stderr: "ERROR: (stratus.versions.create) required option '--model <model>' not specified\n",
    });
    const group = await stratus(['storage']);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/^Usage: stratus storage \[options\] \[command\]/);
  });

  it("reads `predict --version V` as the model version, not the CLI's", async () => {
    const predict = await stratus([
      'predict',
      '--model',
      'iris',
      '--version',
      'v2',
      '--json-instances',
      '/nonexistent/instances.jsonl',
    ]);
    expect(predict).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR: (stratus.predict) INVALID_ARGUMENT: --json-instances /nonexistent/instances.jsonl does not exist\n',
    });
    const help = await stratus(['predict', '--help']);
    expect(help.stdout).toMatch(/\n {2}--version <version> +a version of the model/);
    expect((await stratus(['--format', 'json', '--version'])).stdout).toBe(`${CLI_VERSION}\n`);
  });

  it('completes subcommands and flags in a real bash', async () => {
    const script = (await stratus(['completion', 'bash'])).stdout;
    const complete = (words: string[]): string => {
      const result = spawnSync(
        'bash',
        [
          '-c',
          `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _stratus_complete; echo "\${COMPREPLY[*]}"`,
        ],
        { encoding: 'utf8' },
      );
      return result.stdout.trim();
    };
    expect(complete(['stratus', 'jo'])).toBe('jobs');
    expect(complete(['stratus', 'jobs', 'submit', ''])).toContain('training');
    expect(complete(['stratus', 'jobs', 'submit', 'training', 'job1', '--stream'])).toBe(
      '--stream-logs',
    );
    expect(complete(['stratus', 'jobs', 'submit', 'pre'])).toBe('prediction');
    expect(complete(['stratus', 'jobs', 'submit', 'prediction', 'job1', '--input'])).toBe(
      '--input-paths',
    );
    expect(complete(['stratus', 'storage', 'cp', '-'])).toContain('--recursive');
    const zsh = (await stratus(['completion', 'zsh'])).stdout;
    expect(zsh.startsWith('autoload -U +X bashcompinit && bashcompinit\n')).toBe(true);
    const fish = await stratus(['completion', 'fish']);
    expect(fish).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERROR: (stratus.completion) no completion for shell "fish"; use bash or zsh\n',
    });
  });
});
