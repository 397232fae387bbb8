/** @orbitmq/runtime — configuration, logs, metrics and lifecycle shared by every app. */
export {
  loadConfig,
  parseValue,
  envName,
  checkEndpoint,
  formatConfig,
  maskSecrets,
  changedDefaults,
  SECRET_MASK,
  ConfigError,
  type ConfigKey,
  type ConfigSchema,
  type ConfigValues,
  type LoadedConfig,
} from './config';
export { parseProperties, type PropertyLine } from './properties';
export { createLogger, type Logger } from './logger';
export { startMetricsServer, type MetricsServer } from './metrics';
export {
  CONNECTION_CONFIG,
  checkClusterSecret,
  connectionMetrics,
  clientTlsOf,
  serverTlsOf,
  tlsReloadLog,
  type ConnectionReport,
  type ReadBrakeStats,
} from './connections';
export { runApp, COMMON_CONFIG, type AppContext, type AppDefinition, type StartedApp } from './app-runner';
export { defaultHostAddress } from './host-address';
