/**
 * Destructive commands ask before they act when stdin is a terminal, as
 * gcloud's PromptContinue does: the answer `n` aborts (exit 1) before the
 * server is called; `y`, Enter or end of input continue; `-q/--quiet` or a
 * stdin that is not a terminal take the default (continue) without asking.
 * The API URL points at a closed port, so "continued" shows as the command
 * reaching for the server (CONNECTION_FAILED) and "aborted" as never doing so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BufferStream, runCli, type CliRun } from './cli.test-support.js';
import { main } from './cli.js';
import { canPrompt } from './confirm.js';
import { unusedPort } from './sandbox.test-support.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const CLI_ROOT = fileURLToPath(new URL('..', import.meta.url));

let apiUrl = '';
beforeAll(async () => {
  apiUrl = `http://127.0.0.1:${await unusedPort()}`;
});

/** Run in-process with a stdin that says it is a terminal and holds `answer`. */
const runOnTerminal = async (argv: readonly string[], answer: string): Promise<CliRun> => {
  const stdin = Object.assign(Readable.from([Buffer.from(answer)]), { isTTY: true });
  const stdout = new BufferStream();
  const stderr = new BufferStream();
  const code = await main(['--api-url', apiUrl, ...argv], {
    stdout,
    stderr,
    stdin,
    env: {},
    cwd: process.cwd(),
    homeDir: tmpdir(),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
};

const PROMPT = 'Do you want to continue (Y/n)?  ';
const REACHED_SERVER = /CONNECTION_FAILED/;

describe('confirmation prompts of destructive commands', () => {
  it('asks on a terminal; n aborts with exit 1 before the server is called', async () => {
    const run = await runOnTerminal(['models', 'delete', 'iris'], 'n\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `This will delete model [iris].\n\n${PROMPT}\nERROR: (stratus.models.delete) Aborted by user.\n`,
    );
    const versions = await runOnTerminal(['versions', 'delete', 'v1', '--model', 'iris'], 'no\n');
    expect(versions.code).toBe(1);
    expect(versions.stderr).toContain('This will delete version [v1] of model [iris].');
    expect(versions.stderr).toContain('Aborted by user.');
  });

  it('continues on y, on Enter and at end of input; asks again after another word', async () => {
    for (const answer of ['y\n', 'YES\n', '\n', '']) {
      const run = await runOnTerminal(['jobs', 'cancel', 'iris_1'], answer);
      expect(run.stderr.startsWith(`Job [iris_1] will be cancelled.\n\n${PROMPT}\n`)).toBe(true);
      expect(run.stderr).toMatch(REACHED_SERVER);
      expect(run.code).toBe(1);
    }
    const twice = await runOnTerminal(['auth', 'tokens', 'revoke', 'tok_1'], 'maybe\nn\n');
    expect(twice.stderr).toContain(`${PROMPT}Please enter 'y' or 'n':  \n`);
    expect(twice.stderr).toContain('Aborted by user.');
  });

  it('asks nobody with -q/--quiet or when stdin is not a terminal', async () => {
    for (const quiet of ['-q', '--quiet']) {
      const run = await runOnTerminal([quiet, 'models', 'delete', 'iris'], 'n\n');
      expect(run.stderr).not.toContain(PROMPT);
      expect(run.stderr).toMatch(REACHED_SERVER);
    }
    const piped = await runCli(['--api-url', apiUrl, 'models', 'delete', 'iris'], {
      stdin: 'n\n',
    });
    expect(piped.stderr).not.toContain(PROMPT);
    expect(piped.stderr).toMatch(REACHED_SERVER);
    expect(canPrompt({ io: { stdin: process.stdin } as never, globals: { quiet: true } })).toBe(
      false,
    );
  });
});

/**
 * The real binary on a pseudo-terminal (util-linux `script`): the prompt is
 * shown on the terminal, `n` typed there aborts, and the process exits.
 */
describe('the prompt on a real terminal', () => {
  let scriptWorks = false;
  beforeAll(() => {
    scriptWorks = spawnSync('script', ['--version']).status === 0;
  });

  const onPty = (argv: readonly string[], typed: string): Promise<{ code: number; out: string }> =>
    new Promise((resolve, reject) => {
      const quote = (word: string): string => `'${word.replace(/'/g, "'\\''")}'`;
      const command = [
        process.execPath,
        '--import',
        'tsx',
        '--conditions=stratus-src',
        '--input-type=module',
        '-e',
        `const { runStratus } = await import(${JSON.stringify(MAIN)}); process.exitCode = await runStratus();`,
        // With -e, argv[1] is the first word after `--`: stand in for the script's path.
        '--',
        'stratus',
        ...argv,
      ]
        .map(quote)
        .join(' ');
      const child = spawn('script', ['-qfec', command, '/dev/null'], {
        cwd: CLI_ROOT,
        env: { PATH: process.env.PATH, HOME: tmpdir(), TERM: 'dumb', NO_COLOR: '1' },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // Type the answer once the prompt is on the terminal.
        if (out.includes(PROMPT) && typed !== '') {
          child.stdin.write(typed);
          typed = '';
        }
      });
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code: code ?? -1, out }));
    });

  it('shows the prompt on the terminal: n aborts with exit status 1, y goes on', async (context) => {
    if (!scriptWorks) context.skip();
    const aborted = await onPty(['--api-url', apiUrl, 'models', 'delete', 'iris'], 'n\n');
    expect(aborted.out).toContain(`This will delete model [iris].`);
    expect(aborted.out).toContain(PROMPT);
    expect(aborted.out).toContain('ERROR: (stratus.models.delete) Aborted by user.');
    expect(aborted.code).toBe(1);
    // After a yes the command goes on (to the closed port) and the process still exits.
    const yes = await onPty(['--api-url', apiUrl, 'jobs', 'cancel', 'iris_1'], 'y\n');
    expect(yes.out).toContain(PROMPT);
    expect(yes.out).toMatch(REACHED_SERVER);
    expect(yes.code).toBe(1);
    const quiet = await onPty(['-q', '--api-url', apiUrl, 'models', 'delete', 'iris'], '');
    expect(quiet.out).not.toContain(PROMPT);
    expect(quiet.out).toMatch(REACHED_SERVER);
    expect(quiet.code).toBe(1);
  }, 60_000);
});
