import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { DEFAULT_PROJECT, isValidProjectId, type FieldViolation } from '@stratus/spec';
import type { Env } from './config.js';
import { assertNoViolations, parseSecret, parseUrl, type Parsed } from './env-parsers.js';

/** Keys of the CLI's config file, as `stratus config set KEY VALUE` names them. */
export const CLI_CONFIG_KEYS = ['api-url', 'project', 'token'] as const;
export type CliConfigKey = (typeof CLI_CONFIG_KEYS)[number];

/** Values as stored in `config.json` or given on the command line (raw strings). */
export type CliConfigValues = Partial<Record<CliConfigKey, string>>;

/** Where a resolved CLI setting came from; later sources win. */
export type CliConfigSource = 'default' | 'file' | 'env' | 'flag';

/** The CLI's settings after file < env < flag precedence, validated and frozen. */
export interface CliConfig {
  /** API root without a trailing slash. @defaultValue 'http://127.0.0.1:8080' */
  readonly apiUrl: string;
  /** @defaultValue 'default' */
  readonly project: string;
  readonly token: string | undefined;
  /** The config file these were read from (it may not exist). */
  readonly configPath: string;
  readonly sources: Readonly<Record<CliConfigKey, CliConfigSource>>;
}

/** The environment variable that overrides each key. */
export const CLI_CONFIG_ENV: Readonly<Record<CliConfigKey, string>> = {
  'api-url': 'STRATUS_API_URL',
  project: 'STRATUS_PROJECT',
  token: 'STRATUS_TOKEN',
};

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

export interface CliConfigPathOptions {
  /** Home directory used when XDG_CONFIG_HOME is unset. @defaultValue os.homedir() */
  readonly homeDir?: string;
}

/**
 * `$XDG_CONFIG_HOME/stratus/config.json`, or `~/.config/stratus/config.json`
 * when XDG_CONFIG_HOME is unset or relative (the XDG spec says to ignore a
 * relative one).
 */
export function cliConfigPath(env: Env, options: CliConfigPathOptions = {}): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const base =
    xdg !== undefined && xdg !== '' && isAbsolute(xdg)
      ? xdg
      : join(options.homeDir ?? homedir(), '.config');
  return join(base, 'stratus', 'config.json');
}

/** Parse one raw setting: an http(s) API URL, a project id, or a token. */
export function parseCliConfigValue(key: CliConfigKey, raw: string): Parsed<string> {
  const value = raw.trim();
  switch (key) {
    case 'api-url': {
      const parsed = parseUrl(value, ['http:', 'https:']);
      return parsed.ok ? { ok: true, value: parsed.value.replace(/\/+$/, '') } : parsed;
    }
    case 'project':
      return isValidProjectId(value)
        ? { ok: true, value }
        : {
            ok: false,
            problem:
              'must be 1-30 lowercase letters, digits or -, starting with a letter and not ending with -',
          };
    case 'token':
      return parseSecret(value, 1);
  }
}

/** Whether `key` names a CLI setting. */
export const isCliConfigKey = (key: string): key is CliConfigKey =>
  (CLI_CONFIG_KEYS as readonly string[]).includes(key);

export interface ResolveCliConfigInput {
  /** The environment (STRATUS_API_URL, STRATUS_TOKEN, STRATUS_PROJECT, XDG_CONFIG_HOME). */
  readonly env: Env;
  /** Values read from the config file. */
  readonly file: CliConfigValues;
  /** Values given as command-line flags. */
  readonly flags?: CliConfigValues;
  readonly configPath: string;
}

/**
 * Resolve the CLI's settings: defaults < config file < environment < flags.
 * Every bad value is reported together in one INVALID_CONFIG error naming its
 * source (the file, the variable or the flag); a token is never echoed.
 */
export function resolveCliConfig(input: ResolveCliConfigInput): Readonly<CliConfig> {
  const violations: FieldViolation[] = [];
  const sources = { 'api-url': 'default', project: 'default', token: 'default' } as Record<
    CliConfigKey,
    CliConfigSource
  >;
  const values: CliConfigValues = {};
  const layers: Array<[CliConfigSource, CliConfigValues]> = [
    ['file', input.file],
    [
      'env',
      Object.fromEntries(CLI_CONFIG_KEYS.map((key) => [key, input.env[CLI_CONFIG_ENV[key]]])),
    ],
    ['flag', input.flags ?? {}],
  ];
  for (const [source, layer] of layers) {
    for (const key of CLI_CONFIG_KEYS) {
      const raw = layer[key];
      if (raw === undefined || raw.trim() === '') continue;
      const parsed = parseCliConfigValue(key, raw);
      if (parsed.ok) {
        values[key] = parsed.value;
        sources[key] = source;
        continue;
      }
      const where =
        source === 'file'
          ? `${key} in ${input.configPath}`
          : source === 'env'
            ? CLI_CONFIG_ENV[key]
            : `--${key}`;
      const shown = key === 'token' ? '' : ` (got "${raw}")`;
      violations.push({ field: where, description: `${where} ${parsed.problem}${shown}` });
    }
  }
  assertNoViolations(violations);
  return Object.freeze({
    apiUrl: values['api-url'] ?? DEFAULT_API_URL,
    project: values.project ?? DEFAULT_PROJECT,
    token: values.token,
    configPath: input.configPath,
    sources: Object.freeze(sources),
  });
}
