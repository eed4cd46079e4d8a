import { describe, expect, it } from 'vitest';
import { configEnvNames, loadConfig } from '@stratus/config';
import {
  OPERATOR_DOTENV,
  healthcheckUrl,
  interpolate,
  interpolatedNames,
  loadCompose,
  publishedPorts,
  serviceEnv,
} from './support/compose.js';
import {
  FOREIGN_ENV,
  IMAGES,
  isRecord,
  readRepoFile,
  record,
  repoVersion,
  type ImageName,
} from './support/repo-files.js';

const { compose, services, dotenv } = loadCompose();
const stratusServices = ['api', 'worker', 'worker-gpu', 'predictor'] as const;
const known = new Set([...configEnvNames(), ...Object.keys(FOREIGN_ENV)]);

describe('docker-compose.yml', () => {
  it('has Redis, the API, CPU and GPU workers and a predictor', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'predictor',
      'redis',
      'worker',
      'worker-gpu',
    ]);
    expect(services['worker-gpu']?.profiles).toEqual(['gpu']);
  });

  it.each(stratusServices)(
    '%s sets only variables packages/config reads, and valid ones',
    (name) => {
      const env = serviceEnv(record(services[name], name), dotenv);
      const unknown = Object.keys(env).filter((variable) => !known.has(variable));
      expect(unknown, `unknown variables in ${name}`).toEqual([]);
      expect(() => loadConfig(env)).not.toThrow();
    },
  );

  it('every .env.example variable is a config variable or used by compose itself', () => {
    const text = readRepoFile('docker-compose.yml');
    const interpolated = interpolatedNames(text);
    for (const name of dotenv.keys()) {
      expect(known.has(name) || interpolated.has(name), `${name} in .env.example`).toBe(true);
    }
    for (const name of interpolated) expect(dotenv.has(name), `${name} in .env.example`).toBe(true);
  });

  it.each(['api', 'predictor'] as const)(
    '%s publishes and health-checks the port its config listens on',
    (name) => {
      const service = record(services[name], name);
      const config = loadConfig(serviceEnv(service, dotenv));
      expect(config.host).toBe('0.0.0.0');
      expect(publishedPorts(service, dotenv).map((port) => port.container)).toEqual([config.port]);
      const url = healthcheckUrl(service);
      expect(url?.port).toBe(String(config.port));
      expect(url?.pathname).toBe('/readyz');
    },
  );

  it('starts services only once what they depend on is healthy', () => {
    for (const name of stratusServices) {
      const dependsOn = record(services[name]?.depends_on, `${name}.depends_on`);
      expect(Object.keys(dependsOn)).toContain('redis');
      for (const [dependency, condition] of Object.entries(dependsOn)) {
        expect(record(condition, dependency).condition).toBe('service_healthy');
        expect(isRecord(services[dependency]?.healthcheck), `${dependency} healthcheck`).toBe(true);
      }
    }
  });

  it('runs Redis with AOF persistence on a volume and noeviction (BullMQ needs it)', () => {
    const redis = record(services.redis, 'redis');
    const command = (redis.command as string[]).join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(redis.volumes).toEqual(['redis-data:/data']);
    expect(Object.keys(record(compose.volumes, 'volumes'))).toContain('redis-data');
  });

  it('Redis requires REDIS_PASSWORD, and every Stratus service has it in REDIS_URL', () => {
    const redis = record(services.redis, 'redis');
    const password = OPERATOR_DOTENV.REDIS_PASSWORD;
    expect(serviceEnv(redis, dotenv)).toEqual({ REDISCLI_AUTH: password });
    // Not on the command line (`ps` shows that): a 0600 file on a tmpfs, then the image's own
    // entrypoint (which drops root) with that file as redis.conf.
    const [shell, flag, script, name] = redis.entrypoint as string[];
    expect([shell, flag, name]).toEqual(['sh', '-c', 'redis-server']);
    expect(script).toContain('umask 077');
    expect(script).toContain(
      `printf 'requirepass "%s"\\n' "$$REDISCLI_AUTH" > /run/redis-auth/auth.conf`,
    );
    expect(script).toContain(
      'exec docker-entrypoint.sh redis-server /run/redis-auth/auth.conf "$$@"',
    );
    expect(redis.tmpfs).toEqual(['/run/redis-auth']);
    expect((redis.command as string[]).join(' ')).not.toContain('requirepass');
    expect(record(redis.healthcheck, 'healthcheck').test).toEqual([
      'CMD-SHELL',
      'redis-cli ping | grep -qx PONG',
    ]);
    for (const name of stratusServices) {
      const url = new URL(loadConfig(serviceEnv(record(services[name], name), dotenv)).redisUrl);
      expect([url.hostname, url.port, url.password], name).toEqual(['redis', '6379', password]);
    }
    // .env.example leaves it empty, and compose refuses to start until the operator sets it.
    expect(dotenv.get('REDIS_PASSWORD')).toBe('');
    const auth = String(record(redis.environment, 'environment').REDISCLI_AUTH);
    expect(() => interpolate(auth, dotenv)).toThrow('compose would stop: REDIS_PASSWORD');
  });

  it('lets workers scale and drain, and gives the GPU worker a GPU', () => {
    for (const name of ['worker', 'worker-gpu']) {
      const worker = record(services[name], name);
      expect(worker.ports, `${name} publishes no port (so --scale works)`).toBeUndefined();
      expect(worker.container_name).toBeUndefined();
      // The worker's own shutdown waits up to 10 s per trial; leave room for uploads.
      expect(Number.parseInt(String(worker.stop_grace_period), 10)).toBeGreaterThanOrEqual(60);
    }
    for (const name of ['worker', 'worker-gpu']) {
      // The bubblewrap trainer sandbox: unshare/mount allowed, /proc unmasked, no capability.
      const worker = record(services[name], name);
      expect(worker.security_opt, name).toEqual([
        'seccomp=unconfined',
        'apparmor=unconfined',
        'systempaths=unconfined',
      ]);
      expect(worker.cap_add, name).toBeUndefined();
      expect(worker.privileged, name).toBeUndefined();
    }
    for (const name of ['api', 'predictor', 'redis']) {
      expect(record(services[name], name).security_opt, name).toBeUndefined();
    }
    const gpu = record(services['worker-gpu'], 'worker-gpu');
    const config = loadConfig(serviceEnv(gpu, dotenv));
    expect(config.queues).toContain('gpu');
    expect(config.tfjsBackend).toBe('tensorflow');
    const devices = record(record(record(gpu.deploy, 'deploy').resources, 'r').reservations, 'rv')
      .devices as Array<Record<string, unknown>>;
    expect(devices).toEqual([
      { driver: 'nvidia', count: config.workerConcurrency, capabilities: ['gpu'] },
    ]);
    expect(loadConfig(serviceEnv(record(services.worker, 'worker'), dotenv)).queues).toEqual([
      'cpu',
    ]);
  });

  it.each(stratusServices)('%s uses its image name and Dockerfile', (name) => {
    const service = record(services[name], name);
    const image = IMAGES[name as ImageName];
    expect(service.image).toBe(
      `\${STRATUS_IMAGE_PREFIX:-stratus}/${name}:\${STRATUS_IMAGE_TAG:-${repoVersion()}}`,
    );
    expect(record(service.build, 'build')).toEqual({ context: '.', dockerfile: image.dockerfile });
    expect(dotenv.get('STRATUS_IMAGE_TAG')).toBe(repoVersion());
  });

  it('mounts the bucket volume where STRATUS_HOME points in every Stratus service', () => {
    for (const name of stratusServices) {
      const service = record(services[name], name);
      const home = loadConfig(serviceEnv(service, dotenv)).home;
      expect(service.volumes).toEqual([`stratus-data:${home}`]);
    }
  });
});
