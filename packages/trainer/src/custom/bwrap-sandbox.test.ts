/**
 * The bubblewrap layer on its own (docs/reliability.md, "Trainer sandbox"): the trainer runs
 * on the native backend, where Node's permission model is off (tfjs-node's addon needs that),
 * so every refusal below comes from bwrap and prlimit alone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_UID, probeSandbox } from './bwrap-sandbox.js';
import {
  openTrialHarness,
  trainerTarball,
  type TrialHarness,
} from './custom-trainer.test-support.js';
import { runCustomTrainer } from './run-custom-trainer.js';

const PROBE = `
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
const [secretFile, otherTrialDir, hostTmpMarker, hostPort, hostPid] = process.argv.slice(2, 7);
const attempt = (action) => {
  try { action(); return 'allowed'; } catch (error) { return error.code ?? error.message; }
};
const connect = (port, host) => new Promise((resolve) => {
  const socket = net.connect({ port, host, timeout: 2000 });
  socket.once('connect', () => { socket.destroy(); resolve('connected'); });
  socket.once('timeout', () => { socket.destroy(); resolve('timeout'); });
  socket.once('error', (error) => resolve(error.code));
});
const spawnMany = async (count) => {
  let started = 0; let refused = 0; const children = [];
  for (let i = 0; i < count; i += 1) {
    const outcome = await new Promise((resolve) => {
      const child = spawn('/usr/bin/sleep', ['5']);
      child.once('spawn', () => { children.push(child); resolve('ok'); });
      child.once('error', (error) => resolve(error.code));
    });
    if (outcome === 'ok') started += 1; else refused += 1;
  }
  for (const child of children) child.kill('SIGKILL');
  return { started, refused };
};
const home = process.env.HOME;
const report = {
  uid: process.getuid(),
  redis: await connect(6379, '127.0.0.1'),
  hostListener: await connect(Number(hostPort), '127.0.0.1'),
  metadata: await connect(80, '169.254.169.254'),
  processes: readdirSync('/proc').filter((name) => /^\\d+$/.test(name)).length,
  killHost: attempt(() => process.kill(Number(hostPid), 0)),
  secret: attempt(() => readFileSync(secretFile)),
  otherTrial: attempt(() => readdirSync(otherTrialDir)),
  hostTmp: attempt(() => readFileSync(hostTmpMarker)),
  writeUsr: attempt(() => writeFileSync('/usr/planted', 'x')),
  writeRoot: attempt(() => writeFileSync('/planted', 'x')),
  writePackage: attempt(() => writeFileSync(path.join(process.cwd(), 'planted'), 'x')),
  writeTmp: attempt(() => writeFileSync('/tmp/scratch', 'x')),
  writeHome: attempt(() => writeFileSync(path.join(home, 'ok'), 'x')),
  bigFile: attempt(() => {
    try { writeFileSync(path.join(home, 'big'), Buffer.alloc(40 << 20)); }
    finally { unlinkSync(path.join(home, 'big')); }
  }),
  spawned: await spawnMany(60),
};
// Synchronous writes: V8 may abort outright when the data limit refuses it memory.
writeSync(1, JSON.stringify(report) + '\\n');
const held = [];
try { for (;;) { held.push(Buffer.alloc(16 << 20, 1)); writeSync(1, 'allocated ' + held.length * 16 + '\\n'); } }
catch { writeSync(1, 'refused\\n'); }
`;

let h: TrialHarness;
let server: Server;
let secretFile: string;
let otherTrialDir: string;
let hostTmpMarker: string;
const available = probeSandbox(process.env.PATH);

beforeAll(async () => {
  h = await openTrialHarness();
  const home = path.join(h.root, 'stratus-home');
  await mkdir(home, { recursive: true, mode: 0o700 });
  secretFile = path.join(home, 'admin-token');
  await writeFile(secretFile, 'stratus_admin-secret\n', { mode: 0o600 });
  otherTrialDir = path.join(h.root, 'work', 'beta', 'job_1', '2', '1');
  await mkdir(otherTrialDir, { recursive: true });
  await writeFile(path.join(otherTrialDir, 'checkpoint.bin'), 'beta weights');
  hostTmpMarker = path.join(tmpdir(), `stratus-host-marker-${process.pid}`);
  await writeFile(hostTmpMarker, 'host tmp');
  server = createServer((socket) => socket.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}, 60_000);
afterAll(async () => {
  server.close();
  await h.close();
});

describe.runIf(available.ok)('the bubblewrap sandbox, without the permission model', () => {
  it('cuts the trainer off from the network, host processes and files, and caps its resources', async () => {
    const uri = await h.stage(
      trainerTarball({ 'package.json': '{"name":"probe","version":"1.0.0"}', 'probe.mjs': PROBE }),
    );
    const port = (server.address() as { port: number }).port;
    const t = h.trial(uri, {
      module: 'probe.mjs',
      backend: 'tensorflow',
      args: [secretFile, otherTrialDir, hostTmpMarker, String(port), String(process.pid)],
      limits: { memoryMb: 512, diskMb: 32, maxProcesses: 40 },
    });
    // The allocation at the end either fails in JavaScript or makes V8 abort: both are the
    // data limit holding.
    const ended = await runCustomTrainer(t.options).then(
      () => 'exited 0',
      (error: Error) => error.message,
    );
    const lines = t.stdout();
    const report = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    const allocated = lines
      .filter((line) => line.startsWith('allocated '))
      .map((line) => Number(line.slice(10)));
    expect(allocated.length).toBeGreaterThan(0);
    expect(Math.max(...allocated)).toBeLessThan(512);
    if (ended === 'exited 0') expect(lines.at(-1)).toBe('refused');
    else
      expect(ended).toMatch(
        /^Trainer module probe\.mjs (exited with code 134|was killed by signal SIGABRT)/,
      );
    expect(report).toMatchObject({
      uid: SANDBOX_UID,
      redis: 'ECONNREFUSED',
      hostListener: 'ECONNREFUSED',
      metadata: 'ENETUNREACH',
      killHost: 'ESRCH',
      secret: 'ENOENT',
      otherTrial: 'ENOENT',
      hostTmp: 'ENOENT',
      writeUsr: 'EROFS',
      writePackage: 'EROFS',
      writeTmp: 'allowed',
      writeHome: 'allowed',
      bigFile: 'EFBIG',
    });
    expect(['EACCES', 'EROFS']).toContain(report.writeRoot);
    // bwrap's init, the trainer and at most a child it just started.
    expect(report.processes).toBeLessThanOrEqual(3);
    const spawned = report.spawned as { started: number; refused: number };
    expect(spawned.refused).toBeGreaterThan(0);
    expect(spawned.started).toBeLessThan(40);
  }, 120_000);

  it('stops a trainer that fills its work dir past the disk quota', async () => {
    const uri = await h.stage(
      trainerTarball({
        'fill.mjs': `import { writeFileSync } from 'node:fs';
for (let i = 0; ; i += 1) writeFileSync(process.env.HOME + '/fill-' + i, Buffer.alloc(4 << 20, 1));`,
      }),
    );
    const t = h.trial(uri, {
      module: 'fill.mjs',
      limits: { memoryMb: 1024, diskMb: 24, maxProcesses: 64 },
      diskPollMs: 50,
      killGraceMs: 200,
    });
    const error = await runCustomTrainer(t.options).then(
      () => undefined,
      (e: unknown) => e as Error & { reason?: string },
    );
    expect(error?.reason).toBe('TRAINER_DISK_QUOTA');
    expect(error?.message).toMatch(
      /^Trainer module fill\.mjs wrote \d+ bytes to its work dir, over the limit of 25165824 \(STRATUS_TRAINER_DISK_MB\), and was stopped$/,
    );
  }, 60_000);
});

describe('where bubblewrap cannot start', () => {
  it('refuses custom trainers with the fix named', async () => {
    expect(probeSandbox('/nonexistent')).toEqual({
      ok: false,
      reason: 'bwrap is not installed (Debian: apt-get install bubblewrap)',
    });
    const uri = await h.stage(trainerTarball({ 'task.mjs': 'console.log(1)' }));
    const t = h.trial(uri, { module: 'task.mjs', parentEnv: { PATH: '/nonexistent' } });
    const error = await runCustomTrainer(t.options).then(
      () => undefined,
      (e: unknown) => e as Error & { reason?: string },
    );
    expect(error?.reason).toBe('TRAINER_SANDBOX_UNAVAILABLE');
    expect(error?.message).toBe(
      'Custom trainers cannot run on this worker: bwrap is not installed (Debian: apt-get install bubblewrap). Install bubblewrap (Debian: apt-get install bubblewrap) and allow user namespaces (docs/operations.md, "Trainer sandbox"), or, on a single-user machine only, set STRATUS_TRAINER_SANDBOX=none',
    );
  });
});
