import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DASHBOARD_DIR } from '@stratus/api';
import { configEnvNames, loadConfig } from '@stratus/config';
import {
  envOf,
  lastInstruction,
  parseDockerfile,
  runCommands,
  stageChain,
  type Dockerfile,
  type Stage,
} from './support/dockerfile.js';
import { IMAGES, IMAGE_NAMES, ROOT, readRepoFile, repoVersion } from './support/repo-files.js';

const files = Object.fromEntries(
  IMAGE_NAMES.map((name) => [name, parseDockerfile(readRepoFile(IMAGES[name].dockerfile))]),
) as Record<(typeof IMAGE_NAMES)[number], Dockerfile>;
const known = new Set(configEnvNames());

const finalStage = (file: Dockerfile): Stage => {
  const stage = file.stages.at(-1);
  if (stage === undefined) throw new Error('no stage');
  return stage;
};
const stage = (file: Dockerfile, name: string): Stage => {
  const found = file.stages.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage ${name}`);
  return found;
};
const packageJson = (workspace: string): { name: string; bin?: Record<string, string> } =>
  JSON.parse(readRepoFile(`${workspace}/package.json`)) as {
    name: string;
    bin?: Record<string, string>;
  };

describe.each(IMAGE_NAMES)('infra/docker/%s.Dockerfile', (name) => {
  const file = files[name];
  const { workspace } = IMAGES[name];
  const runtime = stageChain(file, finalStage(file));

  it('says how to build it under the image name compose and k8s use', () => {
    expect(file.header).toContain(
      `docker build -f infra/docker/${name}.Dockerfile -t stratus/${name}:${repoVersion()} .`,
    );
  });

  it('builds with dev dependencies and runs with production ones only', () => {
    expect(runCommands(stage(file, 'build'))).toContain('npm ci --ignore-scripts');
    expect(runCommands(stage(file, 'build'))).toContain('npx tsc -b tsconfig.build.json');
    expect(runCommands(stage(file, 'prod-deps'))).toContain(
      `npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace ${packageJson(workspace).name}`,
    );
    const copies = runtime.flatMap((s) => s.instructions).filter((i) => i.keyword === 'COPY');
    expect(copies.map((c) => c.args)).toEqual(
      expect.arrayContaining(['--from=prod-deps /app ./', '--from=build /out ./']),
    );
  });

  it('runs the workspace bin as a non-root user under tini', () => {
    expect(lastInstruction(runtime, 'USER')).toBe('node');
    expect(JSON.parse(lastInstruction(runtime, 'ENTRYPOINT') ?? '')).toEqual([
      '/usr/bin/tini',
      '--',
    ]);
    const [node, entry, ...rest] = JSON.parse(lastInstruction(runtime, 'CMD') ?? '[]') as string[];
    expect(node).toBe('node');
    expect(rest).toEqual([]);
    const bins = Object.values(packageJson(workspace).bin ?? {}).map(
      (bin) => `${workspace}/${bin.replace(/^\.\//, '')}`,
    );
    expect(bins).toContain(entry);
    const source = `${ROOT}${String(entry).replace('/dist/', '/src/').replace(/\.js$/, '.ts')}`;
    expect(existsSync(source), source).toBe(true);
  });

  it('sets only config variables, listens where it exposes, and owns STRATUS_HOME', () => {
    const env = envOf(runtime);
    expect(Object.keys(env).filter((variable) => !known.has(variable))).toEqual([]);
    const config = loadConfig(env);
    const exposed = lastInstruction(runtime, 'EXPOSE');
    if (name === 'api' || name === 'predictor') {
      expect(exposed).toBe(String(config.port));
      expect(config.host).toBe('0.0.0.0');
    } else {
      expect(exposed).toBeUndefined();
    }
    const runs = runtime.map(runCommands).join('\n');
    expect(runs).toContain(`mkdir -p ${config.home} && chown node:node ${config.home}`);
  });
});

describe('images', () => {
  it('the api image builds the dashboard where the API serves it from', () => {
    expect(runCommands(stage(files.api, 'build'))).toContain(
      'npm run build --workspace @stratus/dashboard',
    );
    const dashboard = JSON.parse(readRepoFile('services/dashboard/package.json')) as {
      name: string;
      scripts?: Record<string, string>;
    };
    expect(dashboard.name).toBe('@stratus/dashboard');
    expect(dashboard.scripts?.build).toMatch(/vite build/);
    // The build stage copies each workspace's dist/ to the same path in the runtime image.
    expect(DEFAULT_DASHBOARD_DIR).toBe(`${ROOT}services/dashboard/dist/`);
    expect(runCommands(stage(files.api, 'build'))).toContain('for part in dist runtime');
  });

  it('the GPU worker pairs tfjs-node-gpu with the CUDA and cuDNN its libtensorflow needs', () => {
    const file = files['worker-gpu'];
    // tfjs-node-gpu 4.22 loads libtensorflow 2.9.1, built against CUDA 11.2 and cuDNN 8.1.
    expect(file.globalArgs.get('CUDA_IMAGE')).toBe('nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04');
    const lock = JSON.parse(readRepoFile('package-lock.json')) as {
      packages: Record<string, { version?: string }>;
    };
    const tfjs = lock.packages['node_modules/@tensorflow/tfjs-core']?.version;
    expect(file.globalArgs.get('TFJS_NODE_GPU_VERSION')).toBe(tfjs);
    const deps = runCommands(stage(file, 'prod-deps'));
    expect(deps).toContain('"@tensorflow/tfjs-node-gpu@${TFJS_NODE_GPU_VERSION}"');
    expect(deps).toContain('npm rebuild @tensorflow/tfjs-node-gpu');
    // STRATUS_TFJS_BACKEND=auto tries this package first (packages/bundle's backend choice).
    const backend = readRepoFile('packages/bundle/src/backend/node-backend.ts');
    expect(backend).toMatch(/NODE_PACKAGES = \['@tensorflow\/tfjs-node-gpu'/);
    expect(stage(file, 'runtime').from).toBe('cuda-node');
    expect(stage(file, 'cuda-node').from).toBe('${CUDA_IMAGE}');
  });

  it.each(['worker', 'worker-gpu'] as const)(
    '%s installs bubblewrap (the custom-trainer sandbox) in its runtime image',
    (name) => {
      const runtime = stageChain(files[name], finalStage(files[name]));
      const installs = runtime
        .map(runCommands)
        .join('\n')
        .match(/apt-get install [^&]*/g);
      expect(installs?.some((line) => /\bbubblewrap\b/.test(line))).toBe(true);
    },
  );

  it('all node images use the same Node LTS base, at or above the engines field', () => {
    const engines = (JSON.parse(readRepoFile('package.json')) as { engines: { node: string } })
      .engines.node;
    const minimum = Number(/^>=(\d+)/.exec(engines)?.[1]);
    for (const name of IMAGE_NAMES) {
      const base = files[name].globalArgs.get('NODE_IMAGE') ?? '';
      expect(base).toMatch(/^node:\d+-bookworm-slim$/);
      expect(base).toBe(files.api.globalArgs.get('NODE_IMAGE'));
      expect(Number(/^node:(\d+)/.exec(base)?.[1])).toBeGreaterThanOrEqual(minimum);
    }
  });

  it('.dockerignore keeps local installs, builds and secrets out of the context', () => {
    const ignored = readRepoFile('.dockerignore').split('\n');
    for (const entry of [
      '**/node_modules',
      '**/dist',
      '.git',
      '.env',
      'infra/k8s/overlays/*/secrets.env',
    ]) {
      expect(ignored).toContain(entry);
    }
  });
});
