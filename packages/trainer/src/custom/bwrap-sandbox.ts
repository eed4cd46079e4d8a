import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
} from 'node:fs';
import path from 'node:path';

/** The uid and gid a sandboxed trainer runs as (`nobody` on Debian). */
export const SANDBOX_UID = 65534;

/** Resource limits applied with prlimit before bubblewrap starts. */
export interface SandboxLimits {
  /** RLIMIT_DATA: heap, wasm memory and buffers together, in MiB. */
  readonly memoryMb: number;
  /** RLIMIT_FSIZE: the largest file the trainer may write, in MiB. */
  readonly fileSizeMb: number;
  /** RLIMIT_NPROC: processes and threads. */
  readonly maxProcesses: number;
  /** Size of the private /tmp (a tmpfs), in MiB. @defaultValue 256 */
  readonly tmpMb?: number;
}

/** What the sandbox shows the trainer, all at the same paths as on the host. */
export interface SandboxMounts {
  /** Bound read-write: the trial's work dir. */
  readonly writable: string;
  /** Bound read-only over or beside it: the package, staged inputs, runtime packages, preload. */
  readonly readOnly: readonly string[];
  /** Device nodes bound in (GPU devices for the native backend). */
  readonly devices?: readonly string[];
  /** The trainer's working directory inside. */
  readonly cwd: string;
}

/** The binaries the sandbox needs, found on PATH once. */
interface SandboxTools {
  readonly bwrap: string;
  readonly prlimit: string;
  readonly setpriv: string;
  /** coreutils' env (8.31+), for --ignore-signal / --default-signal. */
  readonly env: string;
}

const which = (name: string, pathVar: string | undefined): string | undefined => {
  for (const dir of (pathVar ?? '/usr/bin:/bin').split(':')) {
    const candidate = path.join(dir, name);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
};

/**
 * The host's top-level system dirs as the sandbox shows them: merged-/usr links (`/bin →
 * usr/bin`) are recreated as links, real dirs bound read-only.
 */
function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64']) {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else if (stat.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  // Time zone data for Date and the OpenSSL config a shared-OpenSSL node reads at start;
  // nothing else of /etc (no passwd, no resolv.conf, no certificates).
  args.push('--perms', '0755', '--dir', '/etc');
  for (const file of ['/etc/localtime', '/etc/ssl/openssl.cnf']) {
    if (existsSync(file)) args.push(...parentDirs(file), '--ro-bind', file, file);
  }
  return args;
}

/**
 * `--dir` for each ancestor of a mount point, world-traversable: bwrap would make missing ones
 * 0700 and root-owned, which the trainer's `nobody` could not pass through.
 */
function parentDirs(target: string): string[] {
  const args: string[] = [];
  const ancestors: string[] = [];
  for (let at = path.dirname(target); at !== path.dirname(at); at = path.dirname(at)) {
    ancestors.unshift(at);
  }
  for (const dir of ancestors) args.push('--perms', '0755', '--dir', dir);
  return args;
}

/** The nearest package.json above `dir`: Node reads it to tell ESM from CommonJS. */
function owningManifests(dir: string): string[] {
  const found: string[] = [];
  for (let at = path.dirname(dir); at !== path.dirname(at); at = path.dirname(at)) {
    const manifest = path.join(at, 'package.json');
    if (existsSync(manifest)) {
      found.push(manifest);
      break;
    }
  }
  return found;
}

/** GPU device nodes present on this host, for trainers on the native (CUDA) backend. */
export function gpuDevices(): string[] {
  let names: string[];
  try {
    names = readdirSync('/dev');
  } catch {
    return [];
  }
  const nodes = names.filter((name) => name.startsWith('nvidia')).map((name) => `/dev/${name}`);
  if (existsSync('/dev/dri')) nodes.push('/dev/dri');
  return nodes;
}

const CAP_SETUID = 7n;
const CAP_SYS_ADMIN = 21n;

/**
 * Whether this process is root with the capabilities to build the sandbox without a user
 * namespace (a root worker on a host). Container root with its capabilities dropped is not:
 * it sandboxes like a non-root worker, through a user namespace.
 */
export function privilegedRoot(): boolean {
  if (process.getuid?.() !== 0) return false;
  let effective: bigint;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    effective = BigInt(`0x${/^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? '0'}`);
  } catch {
    return false;
  }
  const has = (cap: bigint) => ((effective >> cap) & 1n) === 1n;
  return has(CAP_SYS_ADMIN) && has(CAP_SETUID);
}

const asRoot = privilegedRoot;

/**
 * The bubblewrap flags, each stopping one thing (docs/reliability.md, "Trainer sandbox"):
 * own network (loopback only, nothing listening), PID, IPC, UTS and cgroup namespaces;
 * `--die-with-parent` ties the trainer to its runner (the runner already starts it in a new
 * session with no terminal, so TIOCSTI has nothing to inject into); `--proc` shows only its own processes; `--dev` is a minimal /dev; `/tmp` is a
 * private tmpfs capped by `--size`; only the work dir is writable, and the package, inputs and
 * runtime are read-only binds over or beside it. Nothing else of the host (home dirs,
 * $STRATUS_HOME, buckets, other trials, /etc) exists inside.
 *
 * The uid: a worker that is not privileged root gets a user namespace (`--unshare-all`) whose only uid
 * is `nobody`, mapped to the worker's own, and `--disable-userns` stops the trainer making
 * another. A privileged root worker must not map `nobody` to root, so it gets no user
 * namespace: bwrap
 * keeps only CAP_SETUID/CAP_SETGID for `setpriv`, which becomes the real `nobody` with no
 * capabilities, an empty bounding set and no_new_privs before the trainer starts.
 */
export function bwrapArgs(mounts: SandboxMounts, limits: SandboxLimits): string[] {
  const tmpBytes = (limits.tmpMb ?? 256) * 1024 * 1024;
  const namespaces = asRoot()
    ? [
        '--unshare-ipc',
        '--unshare-pid',
        '--unshare-net',
        '--unshare-uts',
        '--unshare-cgroup-try',
        '--cap-add',
        'CAP_SETUID',
        '--cap-add',
        'CAP_SETGID',
      ]
    : [
        '--unshare-all',
        '--unshare-user',
        '--disable-userns',
        '--uid',
        String(SANDBOX_UID),
        '--gid',
        String(SANDBOX_UID),
      ];
  const args = [
    ...namespaces,
    '--die-with-parent',
    '--hostname',
    'stratus-trial',
    ...systemMounts(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--perms',
    '1777',
    '--size',
    String(tmpBytes),
    '--tmpfs',
    '/tmp',
    ...parentDirs(mounts.writable),
    '--bind',
    mounts.writable,
    mounts.writable,
  ];
  const node = realpathSync(process.execPath);
  const readOnly = new Set<string>(mounts.readOnly);
  if (!node.startsWith('/usr/')) readOnly.add(path.dirname(node));
  for (const dir of [...readOnly])
    for (const manifest of owningManifests(dir)) readOnly.add(manifest);
  for (const dir of readOnly) {
    if (existsSync(dir)) args.push(...parentDirs(dir), '--ro-bind', dir, dir);
  }
  for (const device of mounts.devices ?? []) args.push('--dev-bind', device, device);
  args.push('--chdir', mounts.cwd);
  return args;
}

/**
 * The whole command that runs `command args` in the sandbox: `env` makes bwrap ignore SIGTERM
 * (so a stop request reaches the trainer and it gets its grace period; bwrap would otherwise
 * die and take the trainer with it at once), `prlimit` (memory, file size, processes, no core
 * dumps), `bwrap`, for a root worker `setpriv`, and `env` again to give the trainer SIGTERM's
 * default back.
 */
export function sandboxCommand(
  tools: SandboxTools,
  mounts: SandboxMounts,
  limits: SandboxLimits,
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  const mib = 1024 * 1024;
  const prlimit = [
    `--data=${limits.memoryMb * mib}`,
    `--fsize=${limits.fileSizeMb * mib}`,
    `--nproc=${limits.maxProcesses}`,
    '--core=0',
    '--nofile=4096',
    '--',
  ];
  const drop = asRoot()
    ? [
        tools.setpriv,
        `--reuid=${SANDBOX_UID}`,
        `--regid=${SANDBOX_UID}`,
        '--clear-groups',
        '--inh-caps=-all',
        '--bounding-set=-all',
        '--no-new-privs',
        '--',
      ]
    : [];
  return {
    command: tools.env,
    args: [
      '--ignore-signal=TERM',
      tools.prlimit,
      ...prlimit,
      tools.bwrap,
      ...bwrapArgs(mounts, limits),
      '--',
      ...drop,
      tools.env,
      '--default-signal=TERM',
      '--unset=PWD', // bwrap's --chdir sets it; the environment stays the runner's allowlist
      command,
      ...args,
    ],
  };
}

/** Whether the sandbox can start here, and the tools when it can. */
export type SandboxProbe =
  | { readonly ok: true; readonly tools: SandboxTools }
  | { readonly ok: false; readonly reason: string };

const probes = new Map<string, SandboxProbe>();

/**
 * Finds bwrap, prlimit and setpriv and starts one empty sandbox (`true`) with the real flag
 * set, so a host without user namespaces is found before any trainer runs. `pathVar` is the
 * worker's PATH. Cached per PATH.
 */
export function probeSandbox(pathVar = '/usr/local/bin:/usr/bin:/bin'): SandboxProbe {
  const known = probes.get(pathVar);
  if (known !== undefined) return known;
  const probed = probeOnce(pathVar);
  probes.set(pathVar, probed);
  return probed;
}

function probeOnce(pathVar: string): SandboxProbe {
  const bwrap = which('bwrap', pathVar);
  const prlimit = which('prlimit', pathVar);
  const setpriv = which('setpriv', pathVar);
  const env = which('env', '/usr/bin:/bin');
  if (bwrap === undefined) {
    return { ok: false, reason: 'bwrap is not installed (Debian: apt-get install bubblewrap)' };
  }
  if (prlimit === undefined || setpriv === undefined || env === undefined) {
    return { ok: false, reason: 'prlimit, setpriv (util-linux) or env is not installed' };
  }
  const tools = { bwrap, prlimit, setpriv, env };
  const trueBin = which('true', '/usr/bin:/bin') ?? '/usr/bin/true';
  const { command, args } = sandboxCommand(
    tools,
    { writable: '/tmp', readOnly: [], cwd: '/' },
    { memoryMb: 256, fileSizeMb: 16, maxProcesses: 256, tmpMb: 1 },
    trueBin,
    [],
  );
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (run.status === 0) return { ok: true, tools };
  const said = `${run.stderr ?? ''}`.trim() || run.error?.message || `exit ${String(run.status)}`;
  return { ok: false, reason: `bwrap cannot start a sandbox here: ${said}` };
}
