import {
  CLI_CONFIG_KEYS,
  cliConfigPath,
  isCliConfigKey,
  parseCliConfigValue,
  updateCliConfigFile,
  type CliConfig,
  type CliConfigKey,
} from '@stratus/config';
import { UsageError } from '../cli-errors.js';
import type { ActionHandler, CommandContext } from '../context.js';
import type { ResourceView } from '../output/printer.js';

const checkKey = (key: string): CliConfigKey => {
  if (!isCliConfigKey(key)) {
    throw new UsageError(`unknown setting "${key}"; settings are ${CLI_CONFIG_KEYS.join(', ')}`);
  }
  return key;
};

const valueOf = (config: CliConfig, key: CliConfigKey): string | undefined =>
  key === 'api-url' ? config.apiUrl : key === 'project' ? config.project : config.token;

const pathOf = (ctx: CommandContext): string =>
  cliConfigPath(ctx.io.env, { homeDir: ctx.io.homeDir });

/** `stratus config set KEY VALUE`: write it to the config file (mode 0600). */
export const configSet: ActionHandler = async (ctx, args) => {
  const [rawKey, rawValue] = args as [string, string];
  const key = checkKey(rawKey);
  const parsed = parseCliConfigValue(key, rawValue);
  if (!parsed.ok) throw new UsageError(`${key} ${parsed.problem}`);
  const path = pathOf(ctx);
  await updateCliConfigFile(path, { [key]: parsed.value });
  ctx.printer.info(`Updated property [${key}] in ${path}.`);
};

/** `stratus config unset KEY`. */
export const configUnset: ActionHandler = async (ctx, args) => {
  const key = checkKey(args[0] as string);
  const path = pathOf(ctx);
  await updateCliConfigFile(path, { [key]: undefined });
  ctx.printer.info(`Unset property [${key}] in ${path}.`);
};

/** `stratus config get KEY`: the value in effect (flag > env > file > default). */
export const configGet: ActionHandler = async (ctx, args) => {
  const key = checkKey(args[0] as string);
  const config = await ctx.session.cliConfig();
  const value = valueOf(config, key);
  if (value === undefined) {
    ctx.printer.info(`(unset) ${key}`);
    return 1;
  }
  if (ctx.printer.explicitFormat) {
    await ctx.printer.resource({ key, value, source: config.sources[key] }, CONFIG_VIEW);
  } else {
    ctx.printer.out(`${value}\n`);
  }
};

const CONFIG_VIEW: ResourceView = {
  columns: [{ field: 'key' }, { field: 'value' }, { field: 'source' }],
};

/** A token shown in listings: enough to recognise it, not enough to use it. */
const maskToken = (token: string): string =>
  token.length <= 8 ? '********' : `${token.slice(0, 4)}…${token.slice(-2)}`;

/** `stratus config list`: every setting, its value in effect and where it came from. */
export const configList: ActionHandler<{ showToken?: boolean }> = async (ctx, _args, options) => {
  const config = await ctx.session.cliConfig();
  const rows = CLI_CONFIG_KEYS.map((key) => {
    const value = valueOf(config, key);
    const shown =
      key === 'token' && value !== undefined && options.showToken !== true
        ? maskToken(value)
        : value;
    return { key, value: shown ?? '', source: config.sources[key] };
  });
  ctx.printer.info(`Config file: ${config.configPath}`);
  await ctx.printer.resources(rows, CONFIG_VIEW);
};
