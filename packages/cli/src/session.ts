import { isAbsolute, resolve } from 'node:path';
import type { CliConfig, StratusConfig } from '@stratus/config';
import type { StratusClient } from '@stratus/client';
import type { Storage } from '@stratus/storage';
import type { GlobalOptions } from './context.js';
import type { CliIo } from './io.js';

/**
 * The services a command may need, each created on first use so that
 * `stratus --help` or `stratus storage ls` never loads what it does not use.
 * `close()` releases whatever was opened.
 */
export class Session {
  private cli: Promise<Readonly<CliConfig>> | undefined;
  private server: Readonly<StratusConfig> | undefined;
  private storageHandle: Promise<Storage> | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly globals: GlobalOptions,
  ) {}

  /** A path from the command line, made absolute against the CLI's working directory. */
  path(path: string): string {
    return isAbsolute(path) ? path : resolve(this.io.cwd, path);
  }

  /** The CLI's settings: config file < STRATUS_* env < flags. */
  cliConfig(): Promise<Readonly<CliConfig>> {
    this.cli ??= (async () => {
      const { cliConfigPath, readCliConfigFile, resolveCliConfig } =
        await import('@stratus/config');
      const configPath = cliConfigPath(this.io.env, { homeDir: this.io.homeDir });
      return resolveCliConfig({
        env: this.io.env,
        file: await readCliConfigFile(configPath),
        flags: {
          ...(this.globals.project === undefined ? {} : { project: this.globals.project }),
          ...(this.globals.apiUrl === undefined ? {} : { 'api-url': this.globals.apiUrl }),
        },
        configPath,
      });
    })();
    return this.cli;
  }

  /** A client of the configured API server, for the configured project. */
  async client(): Promise<StratusClient> {
    const [{ StratusClient }, config] = await Promise.all([
      import('@stratus/client'),
      this.cliConfig(),
    ]);
    return new StratusClient({
      baseUrl: config.apiUrl,
      project: config.project,
      ...(config.token === undefined ? {} : { token: config.token }),
    });
  }

  /** The server-side settings (storage backend, STRATUS_HOME, tfjs backend) from the environment. */
  async serverConfig(): Promise<Readonly<StratusConfig>> {
    if (this.server === undefined) {
      const { loadConfig } = await import('@stratus/config');
      this.server = loadConfig(this.io.env, { homeDir: this.io.homeDir, cwd: this.io.cwd });
    }
    return this.server;
  }

  /** The storage the environment names: `$STRATUS_HOME/buckets` (local) or GCS with ADC. */
  storage(): Promise<Storage> {
    this.storageHandle ??= (async () => {
      const [{ storageOptionsFromConfig }, { createStorage }, config] = await Promise.all([
        import('@stratus/config'),
        import('@stratus/storage'),
        this.serverConfig(),
      ]);
      return createStorage(storageOptionsFromConfig(config));
    })();
    return this.storageHandle;
  }

  async close(): Promise<void> {
    const storage = this.storageHandle;
    this.storageHandle = undefined;
    if (storage !== undefined)
      await storage.then(
        (opened) => opened.close(),
        () => undefined,
      );
  }
}
