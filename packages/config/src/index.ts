export {
  loadConfig,
  redactConfig,
  redactRedisUrl,
  LOG_LEVELS,
  PREDICT_RUNTIMES,
  STORAGE_BACKENDS,
  TFJS_BACKENDS,
  TRAINER_SANDBOXES,
  type Env,
  type LimitsConfig,
  type LoadConfigOptions,
  type LogLevel,
  type PredictRuntime,
  type PredictorConfig,
  type TrainerLimitsConfig,
  type StorageBackend,
  type StratusConfig,
  type TfjsBackendPreference,
  type TrainerSandbox,
} from './config.js';
export { configEnvNames } from './env-names.js';
export {
  CLI_CONFIG_ENV,
  CLI_CONFIG_KEYS,
  DEFAULT_API_URL,
  cliConfigPath,
  isCliConfigKey,
  parseCliConfigValue,
  resolveCliConfig,
  type CliConfig,
  type CliConfigKey,
  type CliConfigPathOptions,
  type CliConfigSource,
  type CliConfigValues,
  type ResolveCliConfigInput,
} from './cli-config.js';
export { readCliConfigFile, updateCliConfigFile } from './cli-config-file.js';
export { storageOptionsFromConfig, type StorageSelection } from './storage-options.js';
