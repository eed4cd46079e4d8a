/**
 * The attacker's trainer for tests/tenant-isolation.test.ts: a custom trainer package that an
 * `alpha` editor submits. Before it trains (the example trainer's logistic regression, on data
 * staged from alpha's bucket) it tries everything issue 16 lists against the other tenants and
 * the server, and prints what each attempt got as one JSON line.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './stratus-e2e.js';

const ATTACK = `
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const flag = (name) => process.argv.find((arg) => arg.startsWith('--' + name + '='))?.split('=').slice(1).join('=');
const attempt = (action) => {
  try { action(); return 'allowed'; } catch (error) { return error.code ?? error.message; }
};
const connect = (port, host) => new Promise((resolve) => {
  const socket = net.connect({ port, host, timeout: 1500 });
  // A connect whose ephemeral source port equals its target port meets itself (TCP
  // simultaneous open): that is the trainer's own socket, not a listener.
  socket.once('connect', () => {
    const self = socket.localPort === socket.remotePort;
    socket.destroy();
    resolve(self ? 'self' : 'connected');
  });
  socket.once('timeout', () => { socket.destroy(); resolve('timeout'); });
  socket.once('error', (error) => resolve(error.code));
});
// Every TCP port on loopback, 512 at a time: what answers?
const scanLoopback = async () => {
  const open = [];
  for (let base = 1; base <= 65535; base += 512) {
    const ports = Array.from({ length: Math.min(512, 65536 - base) }, (_, i) => base + i);
    const outcomes = await Promise.all(ports.map((port) => connect(port, '127.0.0.1')));
    outcomes.forEach((outcome, i) => { if (outcome === 'connected') open.push(ports[i]); });
  }
  return open;
};
// Which pids answer signal 0 (its own threads answer too: kill() takes a thread id).
const signalAll = () => {
  const reached = [];
  for (let pid = 1; pid <= 32768; pid += 1) {
    try { process.kill(pid, 0); reached.push(pid); } catch { /* ESRCH or EPERM */ }
  }
  return reached;
};
const workerPid = Number(flag('worker-pid'));
const report = {
  redis: await connect(6379, '127.0.0.1'),
  openLoopbackPorts: await scanLoopback(),
  metadataServer: await connect(80, '169.254.169.254'),
  listProc: attempt(() => readdirSync('/proc')),
  pidsSignalled: signalAll(),
  ownPid: process.pid,
  killWorker: attempt(() => process.kill(workerPid, 'SIGKILL')),
  betaBucketFile: attempt(() => readFileSync(flag('beta-file'))),
  betaTrialDir: attempt(() => readdirSync(flag('beta-trial-dir'))),
  serverSecret: attempt(() => readFileSync(flag('server-secret'))),
  writeBetaBucket: attempt(() => writeFileSync(flag('beta-file'), 'overwritten by alpha')),
  writeUsr: attempt(() => writeFileSync('/usr/planted', 'x')),
  writeOwnPackage: attempt(() => writeFileSync(path.join(process.cwd(), 'planted'), 'x')),
  writeStagedInput: attempt(() => writeFileSync(flag('train-data'), 'x')),
  spawnProcess: await new Promise((resolve) => {
    try {
      const child = spawn('/usr/bin/true');
      child.once('error', (error) => resolve(error.code));
      child.once('spawn', () => resolve('allowed'));
    } catch (error) { resolve(error.code); }
  }),
  workerThread: attempt(() => new Worker('1', { eval: true })),
  bigFile: attempt(() => {
    try { writeFileSync(path.join(process.env.HOME, 'big'), Buffer.alloc(80 << 20)); }
    finally { rmSync(path.join(process.env.HOME, 'big'), { force: true }); }
  }),
};
console.log('ATTACK ' + JSON.stringify(report));
await import('./trainer/task.mjs');
`;

const FILL = `
import { writeFileSync } from 'node:fs';
for (let i = 0; ; i += 1) writeFileSync(process.env.HOME + '/fill-' + i, Buffer.alloc(8 << 20, 1));
`;

const run = promisify(execFile);

/**
 * An `npm pack`-shaped tarball (files under `package/`) holding the example trainer plus
 * `attack.mjs` (attacks, then trains) and `fill.mjs` (writes until stopped).
 */
export async function attackTrainerTarball(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'attack-trainer-'));
  try {
    const pkg = join(dir, 'package');
    await cp(join(ROOT, 'examples', 'custom-trainer'), pkg, { recursive: true });
    await writeFile(join(pkg, 'attack.mjs'), ATTACK);
    await writeFile(join(pkg, 'fill.mjs'), FILL);
    await run('tar', ['-czf', join(dir, 'attack.tgz'), '-C', dir, 'package']);
    return await readFile(join(dir, 'attack.tgz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
