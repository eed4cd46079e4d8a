import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { StratusError } from '@stratus/spec';
import { loadConfig, redactConfig } from './config.js';

const options = { homeDir: '/home/ada', cwd: '/srv', cpuCount: 6 };

const failure = (env: Record<string, string>): StratusError => {
  try {
    loadConfig(env, options);
  } catch (error) {
    if (error instanceof StratusError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
};

describe('loadConfig', () => {
  it('applies the docs/operations.md defaults', () => {
    const config = loadConfig({}, options);
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8080,
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'stratus',
      storage: 'local',
      home: '/home/ada/.stratus',
      bucketsRoot: '/home/ada/.stratus/buckets',
      storageEmulatorHost: undefined,
      gcsProjectId: undefined,
      tfjsBackend: 'auto',
      workerConcurrency: 6,
      trialThreads: 1,
      trainerHeapMb: 4096,
      trainerSandbox: 'bwrap',
      trainerLimits: { memoryMb: 8192, diskMb: 4096, maxProcesses: 256, maxRunningSeconds: 86_400 },
      queues: ['cpu'],
      logLevel: 'info',
      adminToken: undefined,
      defaultProject: 'default',
      predictor: {
        threads: 'auto',
        memoryBytes: 1024 * 1024 * 1024,
        maxInstances: 10_000,
        maxBatchSize: 64,
        maxLatencyMs: 0,
        maxQueuedRows: 20_000,
        runtime: 'auto',
        onnxThreads: 1,
      },
      limits: {
        maxTrials: 1000,
        maxParallelTrials: 64,
        maxRunningTrialsPerProject: 16,
        maxQueuedJobsPerProject: 100,
        maxModelParams: 100_000_000,
        batchShardBytes: 4 * 1024 * 1024,
        batchMaxErrorRate: 0.1,
      },
    });
  });

  it('parses every variable', () => {
    const config = loadConfig(
      {
        STRATUS_HOST: '0.0.0.0',
        STRATUS_PORT: '9090',
        REDIS_URL: 'rediss://cache.internal:6380/2',
        STRATUS_REDIS_PREFIX: 'test-1:',
        STRATUS_STORAGE: 'GCS',
        STRATUS_HOME: 'data/stratus',
        STORAGE_EMULATOR_HOST: '127.0.0.1:9199',
        GOOGLE_CLOUD_PROJECT: 'my-project-1',
        STRATUS_TFJS_BACKEND: 'wasm',
        STRATUS_WORKER_CONCURRENCY: '4',
        STRATUS_QUEUES: 'gpu, cpu, gpu',
        LOG_LEVEL: 'debug',
        STRATUS_ADMIN_TOKEN: 'a-very-long-admin-token',
        STRATUS_DEFAULT_PROJECT: 'demo',
        STRATUS_PREDICTOR_THREADS: '0',
        STRATUS_PREDICTOR_MEMORY_MB: '64',
        STRATUS_PREDICT_MAX_INSTANCES: '500',
        STRATUS_PREDICT_MAX_BATCH_SIZE: '32',
        STRATUS_PREDICT_MAX_LATENCY_MS: '5',
        STRATUS_PREDICT_MAX_QUEUED_ROWS: '1000',
        STRATUS_PREDICT_RUNTIME: 'ONNX',
        STRATUS_PREDICT_ONNX_THREADS: '2',
        STRATUS_MAX_TRIALS: '50',
        STRATUS_MAX_PARALLEL_TRIALS: '8',
        STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT: '3',
        STRATUS_MAX_QUEUED_JOBS_PER_PROJECT: '7',
        STRATUS_MAX_MODEL_PARAMS: '250000',
      },
      options,
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9090,
      redisUrl: 'rediss://cache.internal:6380/2',
      redisPrefix: 'test-1',
      storage: 'gcs',
      home: '/srv/data/stratus',
      bucketsRoot: '/srv/data/stratus/buckets',
      storageEmulatorHost: 'http://127.0.0.1:9199',
      gcsProjectId: 'my-project-1',
      tfjsBackend: 'wasm',
      workerConcurrency: 4,
      queues: ['gpu', 'cpu'],
      logLevel: 'debug',
      adminToken: 'a-very-long-admin-token',
      defaultProject: 'demo',
      predictor: {
        threads: 0,
        memoryBytes: 64 * 1024 * 1024,
        maxInstances: 500,
        maxBatchSize: 32,
        maxLatencyMs: 5,
        maxQueuedRows: 1000,
        runtime: 'onnx',
        onnxThreads: 2,
      },
      limits: {
        maxTrials: 50,
        maxParallelTrials: 8,
        maxRunningTrialsPerProject: 3,
        maxQueuedJobsPerProject: 7,
        maxModelParams: 250_000,
      },
    });
  });

  it('defaults STRATUS_WORKER_CONCURRENCY to the CPU cores, 1 to 256', () => {
    const { homeDir, cwd } = options;
    expect(loadConfig({}, { homeDir, cwd }).workerConcurrency).toBe(
      Math.min(256, availableParallelism()),
    );
    expect(loadConfig({}, { ...options, cpuCount: 1 }).workerConcurrency).toBe(1);
    expect(loadConfig({}, { ...options, cpuCount: 512 }).workerConcurrency).toBe(256);
    expect(loadConfig({}, { ...options, cpuCount: 0 }).workerConcurrency).toBe(1);
    expect(
      loadConfig({ STRATUS_WORKER_CONCURRENCY: '3' }, { ...options, cpuCount: 64 })
        .workerConcurrency,
    ).toBe(3);
  });

  it('expands ~ in STRATUS_HOME and treats blank values as unset', () => {
    const config = loadConfig({ STRATUS_HOME: '~/ml', STRATUS_PORT: '  ' }, options);
    expect(config.home).toBe('/home/ada/ml');
    expect(config.port).toBe(8080);
  });

  it('keeps an explicit scheme on the emulator host', () => {
    expect(
      loadConfig({ STORAGE_EMULATOR_HOST: 'http://localhost:4443/' }, options).storageEmulatorHost,
    ).toBe('http://localhost:4443');
  });

  it('returns a frozen object', () => {
    const config = loadConfig({}, options);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.queues)).toBe(true);
    expect(Object.isFrozen(config.predictor)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
  });

  it.each([
    ['STRATUS_PORT', 'eighty', 'STRATUS_PORT must be an integer from 0 to 65535 (got "eighty")'],
    ['STRATUS_PORT', '70000', 'STRATUS_PORT must be an integer from 0 to 65535 (got "70000")'],
    [
      'STRATUS_PREDICT_MAX_BATCH_SIZE',
      '0',
      'STRATUS_PREDICT_MAX_BATCH_SIZE must be an integer from 1 to 4096 (got "0")',
    ],
    [
      'STRATUS_MAX_TRIALS',
      '0',
      'STRATUS_MAX_TRIALS must be an integer from 1 to 1000000 (got "0")',
    ],
    [
      'STRATUS_PREDICT_RUNTIME',
      'torch',
      'STRATUS_PREDICT_RUNTIME must be one of auto, onnx, tfjs (got "torch")',
    ],
    [
      'STRATUS_PREDICT_ONNX_THREADS',
      '0',
      'STRATUS_PREDICT_ONNX_THREADS must be an integer from 1 to 64 (got "0")',
    ],
    [
      'STRATUS_PREDICTOR_THREADS',
      'many',
      'STRATUS_PREDICTOR_THREADS must be an integer from 0 to 64 (got "many")',
    ],
    ['REDIS_URL', 'http://127.0.0.1:6379', 'REDIS_URL must use redis:// or rediss://'],
    ['REDIS_URL', 'not a url', 'REDIS_URL must be a URL such as redis://127.0.0.1'],
    ['STRATUS_STORAGE', 's3', 'STRATUS_STORAGE must be one of local, gcs (got "s3")'],
    [
      'STRATUS_TFJS_BACKEND',
      'webgl',
      'STRATUS_TFJS_BACKEND must be one of auto, tensorflow, wasm, cpu',
    ],
    [
      'STRATUS_WORKER_CONCURRENCY',
      '0',
      'STRATUS_WORKER_CONCURRENCY must be an integer from 1 to 256',
    ],
    ['STRATUS_TRIAL_THREADS', '0', 'STRATUS_TRIAL_THREADS must be an integer from 1 to 256'],
    [
      'STRATUS_TRAINER_HEAP_MB',
      '8',
      'STRATUS_TRAINER_HEAP_MB must be an integer from 16 to 1048576 (got "8")',
    ],
    ['STRATUS_TRAINER_SANDBOX', 'fs', 'STRATUS_TRAINER_SANDBOX must be one of bwrap, none'],
    [
      'STRATUS_TRAINER_DISK_MB',
      '1',
      'STRATUS_TRAINER_DISK_MB must be an integer from 16 to 1048576 (got "1")',
    ],
    [
      'STRATUS_QUEUES',
      'cpu,tpu',
      'STRATUS_QUEUES "tpu" is not allowed; each entry must be one of cpu, gpu',
    ],
    ['STRATUS_QUEUES', ',', 'STRATUS_QUEUES must list at least one of cpu, gpu'],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ],
    ['STRATUS_REDIS_PREFIX', 'has space', 'STRATUS_REDIS_PREFIX must be 1-64 characters'],
    [
      'STORAGE_EMULATOR_HOST',
      'ftp://x:1',
      'STORAGE_EMULATOR_HOST must be host:port or http(s)://host:port',
    ],
    ['STORAGE_EMULATOR_HOST', 'http://h:1/path', 'STORAGE_EMULATOR_HOST must not contain a path'],
    ['GOOGLE_CLOUD_PROJECT', 'X', 'GOOGLE_CLOUD_PROJECT must be a Google Cloud project id'],
    ['STRATUS_DEFAULT_PROJECT', '9lives', 'STRATUS_DEFAULT_PROJECT must be 1-30 lowercase letters'],
    ['STRATUS_HOST', 'bad host', 'STRATUS_HOST must be a host name or IP address'],
  ])('rejects %s=%j naming the variable', (name, value, message) => {
    const error = failure({ [name]: value });
    expect(error.reason).toBe('INVALID_CONFIG');
    expect(error.httpStatus).toBe(400);
    expect(error.message).toContain(message);
    expect(error.violations).toEqual([
      { field: name, description: expect.stringContaining(message) },
    ]);
  });

  it('reports every bad variable at once', () => {
    const error = failure({ STRATUS_PORT: '-1', LOG_LEVEL: 'x', STRATUS_STORAGE: 'ftp' });
    expect(error.violations.map((violation) => violation.field)).toEqual([
      'STRATUS_PORT',
      'STRATUS_STORAGE',
      'LOG_LEVEL',
    ]);
  });

  it('never echoes a rejected token', () => {
    const error = failure({ STRATUS_ADMIN_TOKEN: 'short secret' });
    expect(error.message).toBe(
      'Invalid configuration: STRATUS_ADMIN_TOKEN must be at least 16 characters',
    );
    expect(error.message).not.toContain('short secret');
  });

  it('redacts the admin token for logging', () => {
    const config = loadConfig({ STRATUS_ADMIN_TOKEN: 'a-very-long-admin-token' }, options);
    expect(JSON.stringify(redactConfig(config))).not.toContain('a-very-long-admin-token');
    expect(redactConfig(config).adminToken).toBe('[redacted]');
  });

  it('never echoes or logs the Redis password of REDIS_URL', () => {
    const error = failure({ REDIS_URL: 'http://:redis-pass-123@127.0.0.1:6379' });
    expect(error.message).toBe('Invalid configuration: REDIS_URL must use redis:// or rediss://');
    const config = loadConfig({ REDIS_URL: 'redis://:redis-pass-123@redis:6379/0' }, options);
    expect(config.redisUrl).toBe('redis://:redis-pass-123@redis:6379/0');
    expect(redactConfig(config).redisUrl).toBe('redis://:***@redis:6379/0');
    expect(JSON.stringify(redactConfig(config))).not.toContain('redis-pass-123');
  });
});
