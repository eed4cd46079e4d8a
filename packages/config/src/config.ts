import { availableParallelism, homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import {
  DEFAULT_PROJECT,
  QUEUE_KINDS,
  StratusError,
  TRAINER_DEFAULTS,
  isValidProjectId,
  type FieldViolation,
  type QueueKind,
} from '@stratus/spec';
import {
  parseChoice,
  parseChoiceList,
  parseEmulatorHost,
  parseDecimal,
  parseInteger,
  parseKeyPrefix,
  parseSecret,
  parseUrl,
  type Parsed,
} from './env-parsers.js';

export const STORAGE_BACKENDS = ['local', 'gcs'] as const;
export const TFJS_BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export const TRAINER_SANDBOXES = ['bwrap', 'none'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type StorageBackend = (typeof STORAGE_BACKENDS)[number];
export type TfjsBackendPreference = (typeof TFJS_BACKENDS)[number];

/** Which runtime runs a version's model calls (`STRATUS_PREDICT_RUNTIME`). */
export const PREDICT_RUNTIMES = ['auto', 'onnx', 'tfjs'] as const;
export type PredictRuntime = (typeof PREDICT_RUNTIMES)[number];
export type TrainerSandbox = (typeof TRAINER_SANDBOXES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything Stratus reads from its environment, parsed and validated once. */
export interface StratusConfig {
  /** `STRATUS_HOST` @defaultValue '127.0.0.1' */
  readonly host: string;
  /** `STRATUS_PORT` @defaultValue 8080 */
  readonly port: number;
  /** `REDIS_URL` @defaultValue 'redis://127.0.0.1:6379' */
  readonly redisUrl: string;
  /** `STRATUS_REDIS_PREFIX`, without a trailing colon @defaultValue 'stratus' */
  readonly redisPrefix: string;
  /** `STRATUS_STORAGE` @defaultValue 'local' */
  readonly storage: StorageBackend;
  /** `STRATUS_HOME`, absolute @defaultValue '~/.stratus' */
  readonly home: string;
  /** Root of the local buckets: `$STRATUS_HOME/buckets`. */
  readonly bucketsRoot: string;
  /** `STORAGE_EMULATOR_HOST`, normalised to `http://host:port`. */
  readonly storageEmulatorHost: string | undefined;
  /** `GOOGLE_CLOUD_PROJECT`, for the gcs backend. */
  readonly gcsProjectId: string | undefined;
  /** `STRATUS_TFJS_BACKEND` @defaultValue 'auto' */
  readonly tfjsBackend: TfjsBackendPreference;
  /**
   * `STRATUS_WORKER_CONCURRENCY`: trials one worker runs at once (one trial
   * process each). @defaultValue the number of CPU cores (`os.availableParallelism()`, at most 256)
   */
  readonly workerConcurrency: number;
  /**
   * `STRATUS_TRIAL_THREADS`: threads one built-in trial trains on. Above 1, a trial on the wasm
   * backend with its training data in memory trains data-parallel on that many worker threads
   * (docs/operations.md); tfjs-node is multi-threaded already and streamed data trains on one.
   * @defaultValue 1
   */
  readonly trialThreads: number;
  /**
   * `STRATUS_TRAINER_HEAP_MB`: V8 heap limit of a custom trainer process
   * (`--max-old-space-size`); a trainer that allocates past it dies with a heap
   * out-of-memory and its trial fails. @defaultValue 4096
   */
  readonly trainerHeapMb: number;
  /**
   * `STRATUS_TRAINER_SANDBOX`: `bwrap` runs custom trainers under bubblewrap (no network, own
   * PID namespace, unprivileged uid, only the trial dir writable, resource limits) with Node's
   * permission model inside; `none` runs them unconfined, for single-user machines.
   * @defaultValue 'bwrap'
   */
  readonly trainerSandbox: TrainerSandbox;
  /** Resource limits of one sandboxed custom trainer. */
  readonly trainerLimits: TrainerLimitsConfig;
  /** `STRATUS_QUEUES`: queues a worker pulls from @defaultValue ['cpu'] */
  readonly queues: readonly QueueKind[];
  /** `LOG_LEVEL` @defaultValue 'info' */
  readonly logLevel: LogLevel;
  /** `STRATUS_ADMIN_TOKEN`; when unset, `stratus serve` generates one under `home`. */
  readonly adminToken: string | undefined;
  /** `STRATUS_DEFAULT_PROJECT`: project of the TF Serving / KServe paths @defaultValue 'default' */
  readonly defaultProject: string;
  /** Online prediction (the predictor, in the all-in-one server or on its own). */
  readonly predictor: PredictorConfig;
  /** Caps and per-project quotas (docs/operations.md "Limits and quotas"). */
  readonly limits: LimitsConfig;
}

/** Caps on one request and quotas per project, enforced by the API, workers and predictors. */
export interface LimitsConfig {
  /** `STRATUS_MAX_TRIALS`: largest `hyperparameters.maxTrials` a job may ask for. @defaultValue 1000 */
  readonly maxTrials: number;
  /**
   * `STRATUS_MAX_PARALLEL_TRIALS`: largest `hyperparameters.maxParallelTrials`
   * (the trials a job plans and enqueues at once). @defaultValue 64
   */
  readonly maxParallelTrials: number;
  /**
   * `STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT`: trials of one project running at
   * once across every worker; the rest wait in the queue. @defaultValue 16
   */
  readonly maxRunningTrialsPerProject: number;
  /**
   * `STRATUS_MAX_QUEUED_JOBS_PER_PROJECT`: live jobs (QUEUED, PREPARING,
   * RUNNING, CANCELLING) one project may have; a submit beyond it is a 429. @defaultValue 100
   */
  readonly maxQueuedJobsPerProject: number;
  /**
   * `STRATUS_MAX_MODEL_PARAMS`: parameters a model bundle may declare (topology
   * and weight manifest), checked before any tensor is allocated; 100 M float32
   * weights are 400 MB. @defaultValue 100000000
   */
  readonly maxModelParams: number;
  /**
   * `STRATUS_BATCH_SHARD_BYTES`: a batch prediction job's input is split into
   * shards of about this many bytes, at line boundaries. @defaultValue 4194304 (4 MiB)
   */
  readonly batchShardBytes: number;
  /**
   * `STRATUS_BATCH_MAX_ERROR_RATE`: a batch prediction job FAILS when more than
   * this share of its rows are errors (a job's `maxErrorRate` overrides it). @defaultValue 0.1
   */
  readonly batchMaxErrorRate: number;
}

/** Limits of a sandboxed custom trainer (docs/reliability.md, "Trainer sandbox"). */
export interface TrainerLimitsConfig {
  /**
   * `STRATUS_TRAINER_MEMORY_MB`: the trainer's data-segment limit (RLIMIT_DATA: heap, wasm
   * memory, buffers); allocations past it fail. @defaultValue 8192
   */
  readonly memoryMb: number;
  /**
   * `STRATUS_TRAINER_DISK_MB`: what the trainer's work dir (staged inputs, home, model,
   * checkpoints) may hold; past it the trial is stopped. Also its largest file. @defaultValue 4096
   */
  readonly diskMb: number;
  /** `STRATUS_TRAINER_MAX_PROCESSES`: processes and threads (RLIMIT_NPROC). @defaultValue 256 */
  readonly maxProcesses: number;
  /**
   * `STRATUS_TRAINER_MAX_RUNNING_SECONDS`: how long a custom trial may run when its job sets
   * no `scheduling.maxRunningTime`. @defaultValue 86400
   */
  readonly maxRunningSeconds: number;
}

/** The predictor's limits and defaults (docs/operations.md). */
export interface PredictorConfig {
  /**
   * `STRATUS_PREDICTOR_THREADS`: worker threads that run model calls, each
   * with its own copy of the loaded models; 0 runs them on the event loop;
   * `auto` is cores − 1, from 1 to 4 (inference off the event loop that
   * answers HTTP), and 0 on one core. @defaultValue 'auto'
   */
  readonly threads: number | 'auto';
  /**
   * `STRATUS_PREDICTOR_MEMORY_MB` (stored in bytes): budget for loaded model
   * weights, all copies counted; least recently used versions are unloaded beyond it.
   * @defaultValue 1024 MiB
   */
  readonly memoryBytes: number;
  /** `STRATUS_PREDICT_MAX_INSTANCES`: instances one request may carry. @defaultValue 10000 */
  readonly maxInstances: number;
  /** `STRATUS_PREDICT_MAX_BATCH_SIZE`: rows per model call unless a version says. @defaultValue 64 */
  readonly maxBatchSize: number;
  /**
   * `STRATUS_PREDICT_MAX_LATENCY_MS`: how long a batch waits to fill unless a
   * version says; 0 sends what is queued as soon as a thread is free. @defaultValue 0
   */
  readonly maxLatencyMs: number;
  /**
   * `STRATUS_PREDICT_MAX_QUEUED_ROWS`: rows one version may have waiting;
   * beyond it requests get 429. @defaultValue 20000
   */
  readonly maxQueuedRows: number;
  /**
   * `STRATUS_PREDICT_RUNTIME`: `auto` runs a bundle on ONNX Runtime when it has a
   * `model.onnx`, else on TensorFlow.js; `onnx` requires `model.onnx`; `tfjs` requires
   * `model.json` (a `framework: ONNX` version runs on ONNX Runtime whatever this says).
   * @defaultValue 'auto'
   */
  readonly runtime: PredictRuntime;
  /**
   * `STRATUS_PREDICT_ONNX_THREADS`: intra-op threads of each ONNX Runtime session (one
   * session per loaded version per executor thread). @defaultValue 1
   */
  readonly onnxThreads: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** Home directory used to expand `~`. @defaultValue os.homedir() */
  readonly homeDir?: string;
  /** Directory relative paths are resolved against. @defaultValue process.cwd() */
  readonly cwd?: string;
  /** CPU cores, the default worker concurrency. @defaultValue os.availableParallelism() */
  readonly cpuCount?: number;
}

const expandHome = (path: string, homeDir: string, cwd: string): string => {
  const expanded = path === '~' || path.startsWith('~/') ? join(homeDir, path.slice(1)) : path;
  return isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
};

/**
 * Parse Stratus's environment once. Every bad variable is reported together
 * in one INVALID_CONFIG error whose violations name the variable and what is
 * allowed. The result is frozen.
 */
export function loadConfig(env: Env, options: LoadConfigOptions = {}): Readonly<StratusConfig> {
  const homeDir = options.homeDir ?? homedir();
  const cwd = options.cwd ?? process.cwd();
  const cores = Math.min(256, Math.max(1, Math.trunc(options.cpuCount ?? availableParallelism())));
  const violations: FieldViolation[] = [];

  const read = <T>(name: string, fallback: T, parse: (raw: string) => Parsed<T>): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const parsed = parse(raw);
    if (parsed.ok) return parsed.value;
    // Secrets are never echoed: tokens, and REDIS_URL (it may carry the Redis password).
    const shown = name.endsWith('_TOKEN') || name === 'REDIS_URL' ? '' : ` (got "${raw}")`;
    violations.push({ field: name, description: `${name} ${parsed.problem}${shown}` });
    return fallback;
  };
  const optional = <T>(name: string, parse: (raw: string) => Parsed<T>): T | undefined =>
    read<T | undefined>(name, undefined, parse);

  const home = expandHome(env.STRATUS_HOME?.trim() || '~/.stratus', homeDir, cwd);
  const config: StratusConfig = {
    host: read('STRATUS_HOST', '127.0.0.1', (raw) =>
      /^[A-Za-z0-9.:\-[\]]+$/.test(raw.trim())
        ? { ok: true, value: raw.trim() }
        : { ok: false, problem: 'must be a host name or IP address' },
    ),
    port: read('STRATUS_PORT', 8080, (raw) => parseInteger(raw, 0, 65535)),
    redisUrl: read('REDIS_URL', 'redis://127.0.0.1:6379', (raw) =>
      parseUrl(raw, ['redis:', 'rediss:']),
    ),
    redisPrefix: read('STRATUS_REDIS_PREFIX', 'stratus', parseKeyPrefix),
    storage: read('STRATUS_STORAGE', 'local', (raw) => parseChoice(raw, STORAGE_BACKENDS)),
    home,
    bucketsRoot: join(home, 'buckets'),
    storageEmulatorHost: optional('STORAGE_EMULATOR_HOST', parseEmulatorHost),
    gcsProjectId: optional('GOOGLE_CLOUD_PROJECT', (raw) =>
      /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(raw.trim())
        ? { ok: true, value: raw.trim() }
        : {
            ok: false,
            problem: 'must be a Google Cloud project id (6-30 lowercase letters, digits, -)',
          },
    ),
    tfjsBackend: read('STRATUS_TFJS_BACKEND', 'auto', (raw) => parseChoice(raw, TFJS_BACKENDS)),
    workerConcurrency: read('STRATUS_WORKER_CONCURRENCY', cores, (raw) =>
      parseInteger(raw, 1, 256),
    ),
    trialThreads: read('STRATUS_TRIAL_THREADS', 1, (raw) => parseInteger(raw, 1, 256)),
    trainerHeapMb: read('STRATUS_TRAINER_HEAP_MB', TRAINER_DEFAULTS.heapMb, (raw) =>
      parseInteger(raw, 16, 1_048_576),
    ),
    trainerSandbox: read('STRATUS_TRAINER_SANDBOX', 'bwrap', (raw) =>
      parseChoice(raw, TRAINER_SANDBOXES),
    ),
    trainerLimits: {
      memoryMb: read('STRATUS_TRAINER_MEMORY_MB', TRAINER_DEFAULTS.memoryMb, (raw) =>
        parseInteger(raw, 64, 1_048_576),
      ),
      diskMb: read('STRATUS_TRAINER_DISK_MB', TRAINER_DEFAULTS.diskMb, (raw) =>
        parseInteger(raw, 16, 1_048_576),
      ),
      maxProcesses: read('STRATUS_TRAINER_MAX_PROCESSES', TRAINER_DEFAULTS.maxProcesses, (raw) =>
        parseInteger(raw, 16, 65_536),
      ),
      maxRunningSeconds: read(
        'STRATUS_TRAINER_MAX_RUNNING_SECONDS',
        TRAINER_DEFAULTS.maxRunningSeconds,
        (raw) => parseInteger(raw, 1, 31_536_000),
      ),
    },
    queues: read<readonly QueueKind[]>('STRATUS_QUEUES', ['cpu'], (raw) =>
      parseChoiceList(raw, QUEUE_KINDS),
    ),
    logLevel: read('LOG_LEVEL', 'info', (raw) => parseChoice(raw, LOG_LEVELS)),
    adminToken: optional('STRATUS_ADMIN_TOKEN', (raw) => parseSecret(raw, 16)),
    defaultProject: read('STRATUS_DEFAULT_PROJECT', DEFAULT_PROJECT, (raw) =>
      isValidProjectId(raw.trim())
        ? { ok: true, value: raw.trim() }
        : {
            ok: false,
            problem:
              'must be 1-30 lowercase letters, digits or -, starting with a letter and not ending with -',
          },
    ),
    predictor: {
      threads: read<number | 'auto'>('STRATUS_PREDICTOR_THREADS', 'auto', (raw) =>
        raw.trim().toLowerCase() === 'auto'
          ? { ok: true, value: 'auto' }
          : parseInteger(raw, 0, 64),
      ),
      memoryBytes:
        read('STRATUS_PREDICTOR_MEMORY_MB', 1024, (raw) => parseInteger(raw, 1, 1_048_576)) *
        1024 *
        1024,
      maxInstances: read('STRATUS_PREDICT_MAX_INSTANCES', 10_000, (raw) =>
        parseInteger(raw, 1, 1_000_000),
      ),
      maxBatchSize: read('STRATUS_PREDICT_MAX_BATCH_SIZE', 64, (raw) => parseInteger(raw, 1, 4096)),
      maxLatencyMs: read('STRATUS_PREDICT_MAX_LATENCY_MS', 0, (raw) =>
        parseInteger(raw, 0, 10_000),
      ),
      maxQueuedRows: read('STRATUS_PREDICT_MAX_QUEUED_ROWS', 20_000, (raw) =>
        parseInteger(raw, 1, 10_000_000),
      ),
      runtime: read('STRATUS_PREDICT_RUNTIME', 'auto', (raw) => parseChoice(raw, PREDICT_RUNTIMES)),
      onnxThreads: read('STRATUS_PREDICT_ONNX_THREADS', 1, (raw) => parseInteger(raw, 1, 64)),
    },
    limits: {
      maxTrials: read('STRATUS_MAX_TRIALS', 1000, (raw) => parseInteger(raw, 1, 1_000_000)),
      maxParallelTrials: read('STRATUS_MAX_PARALLEL_TRIALS', 64, (raw) =>
        parseInteger(raw, 1, 10_000),
      ),
      maxRunningTrialsPerProject: read('STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT', 16, (raw) =>
        parseInteger(raw, 1, 100_000),
      ),
      maxQueuedJobsPerProject: read('STRATUS_MAX_QUEUED_JOBS_PER_PROJECT', 100, (raw) =>
        parseInteger(raw, 1, 1_000_000),
      ),
      maxModelParams: read('STRATUS_MAX_MODEL_PARAMS', 100_000_000, (raw) =>
        parseInteger(raw, 1, 1_000_000_000_000),
      ),
      batchShardBytes: read('STRATUS_BATCH_SHARD_BYTES', 4 * 1024 * 1024, (raw) =>
        parseInteger(raw, 1024, 1024 * 1024 * 1024),
      ),
      batchMaxErrorRate: read('STRATUS_BATCH_MAX_ERROR_RATE', 0.1, (raw) =>
        parseDecimal(raw, 0, 1),
      ),
    },
  };

  if (violations.length > 0) {
    throw new StratusError(
      'INVALID_CONFIG',
      { detail: violations.map((violation) => violation.description).join('; ') },
      { violations },
    );
  }
  return Object.freeze({
    ...config,
    queues: Object.freeze([...config.queues]),
    trainerLimits: Object.freeze({ ...config.trainerLimits }),
    predictor: Object.freeze({ ...config.predictor }),
    limits: Object.freeze({ ...config.limits }),
  });
}

/** The config with secrets masked, safe to log. */
export function redactConfig(config: StratusConfig): Record<string, unknown> {
  return {
    ...config,
    redisUrl: redactRedisUrl(config.redisUrl),
    adminToken: config.adminToken === undefined ? undefined : '[redacted]',
  };
}

/** A (validated) REDIS_URL with its password, if any, masked as `***`: safe to log or print. */
export function redactRedisUrl(raw: string): string {
  const url = new URL(raw);
  if (url.password === '') return raw;
  url.password = '***';
  return url.toString();
}
