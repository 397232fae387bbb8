import * as fs from 'node:fs';
import type { Registry } from 'prom-client';
import { ConfigError, type ConfigSchema, type ConfigValues, formatConfig, loadConfig } from './config';
import { type Logger, createLogger } from './logger';
import { startMetricsServer } from './metrics';

/** Keys every app has. */
export const COMMON_CONFIG = {
  metricsHost: { kind: 'string', default: '0.0.0.0', describe: 'address the /metrics endpoint binds to' },
  metricsPort: { kind: 'int', default: 5557, min: -1, max: 65535, describe: 'port of the /metrics endpoint (0: any free port, -1: off)' },
  logLevel: { kind: 'enum', default: 'info', choices: ['error', 'warn', 'info', 'debug'], describe: 'log level' },
  shutdownTimeoutMs: { kind: 'int', default: 15_000, min: 100, max: 600_000, describe: 'longest a graceful stop may take before the process exits anyway' },
} as const satisfies ConfigSchema;

export interface AppContext<S extends ConfigSchema> {
  config: ConfigValues<S & typeof COMMON_CONFIG>;
  /** The -c properties file, when one was given (files that live beside it are found from it). */
  configFile?: string;
  logger: Logger;
  metrics: Registry;
}

export interface StartedApp {
  /** Logged with the "ready" line (ports, endpoints). */
  readyInfo: Record<string, unknown>;
  /** Ordered stop: stop accepting, finish in-flight work, release resources. */
  stop(): Promise<void>;
}

export interface AppDefinition<S extends ConfigSchema> {
  name: string;
  schema: S;
  /** Extra checks across keys; throw ConfigError. */
  validate?: (config: ConfigValues<S & typeof COMMON_CONFIG>) => void;
  start(ctx: AppContext<S>): Promise<StartedApp>;
}

/**
 * The process lifecycle every app shares:
 *  config (exit 2 with one line on a bad value) -> logger -> /metrics -> start -> "ready" line;
 *  SIGTERM/SIGINT -> ordered stop within shutdownTimeoutMs -> exit 0 (1 when the stop failed or
 *  timed out). A failure to start logs the reason and exits 1.
 */
export async function runApp<S extends ConfigSchema>(def: AppDefinition<S>, argv = process.argv.slice(2)): Promise<void> {
  const schema = { ...COMMON_CONFIG, ...def.schema } as S & typeof COMMON_CONFIG;
  let config: ConfigValues<S & typeof COMMON_CONFIG>;
  let warnings: string[];
  let configFile: string | undefined;
  try {
    const loaded = loadConfig(def.name, schema, argv);
    if (loaded.helpOnly) process.exit(0);
    if (loaded.printOnly) {
      process.stdout.write(`${formatConfig(schema, loaded)}\n`);
      process.exit(0);
    }
    config = loaded.values;
    configFile = loaded.file;
    warnings = loaded.warnings;
    def.validate?.(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${def.name}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(def.name, config.logLevel);
  for (const w of warnings) logger.warn(w);
  let app: StartedApp | undefined;
  let metricsClose: (() => Promise<void>) | undefined;
  let starting = true;
  let stopRequested: string | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    if (starting) {
      stopRequested = signal; // finish starting first, then stop in order
      return;
    }
    stopping = true;
    logger.info('stopping', { signal });
    const timer = setTimeout(() => {
      logger.error('stop timed out; exiting', { shutdownTimeoutMs: config.shutdownTimeoutMs });
      void flushLogs(logger).then(() => process.exit(1));
    }, config.shutdownTimeoutMs);
    timer.unref();
    let code = 0;
    try {
      await app?.stop();
    } catch (err) {
      code = 1;
      logger.error('stop failed', { error: (err as Error).message, stack: (err as Error).stack });
    }
    await metricsClose?.().catch(() => undefined);
    if (process.env.ORBITMQ_READY_FILE) fs.rmSync(process.env.ORBITMQ_READY_FILE, { force: true });
    logger.info('stopped', { exitCode: code });
    await flushLogs(logger);
    process.exit(code);
  };
  // Installed before anything starts, so a signal at any moment leads to an ordered stop.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  try {
    const metrics = await startMetricsServer(def.name, config.metricsHost, config.metricsPort);
    metricsClose = metrics.close;
    app = await def.start({ config, logger, metrics: metrics.registry, ...(configFile !== undefined ? { configFile } : {}) });
    const ready = { ...app.readyInfo, metricsPort: metrics.port, pid: process.pid };
    writeReadyFile(ready);
    logger.info('ready', ready);
  } catch (err) {
    logger.error('failed to start', { error: (err as Error).message, code: (err as { code?: string }).code, stack: (err as Error).stack });
    await metricsClose?.().catch(() => undefined);
    await flushLogs(logger);
    process.exit(1);
  }
  starting = false;
  if (stopRequested) await stop(stopRequested);
}

/**
 * ORBITMQ_READY_FILE: the ready line's fields as JSON in a file, written once the app serves (a
 * container's health check reads the metrics port from it: with host networking and port 0 it is
 * known only after the start). Written to a temporary name and renamed, so a reader never sees half.
 */
function writeReadyFile(ready: Record<string, unknown>): void {
  const file = process.env.ORBITMQ_READY_FILE;
  if (!file) return;
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(ready)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

function flushLogs(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    logger.on('finish', () => resolve());
    logger.end();
    setTimeout(resolve, 200).unref();
  });
}
