import winston from 'winston';

export type Logger = winston.Logger;

/**
 * JSON lines when stdout is not a terminal (containers, log shippers, tests), readable colored
 * lines on a terminal. ORBITMQ_LOG_FORMAT=json|text overrides the choice; logLevel sets the level.
 */
export function createLogger(app: string, level = 'info'): Logger {
  const forced = process.env.ORBITMQ_LOG_FORMAT;
  const json = forced ? forced === 'json' : !process.stdout.isTTY;
  const format = json
    ? winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json())
    : winston.format.combine(
        winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
        winston.format.errors({ stack: true }),
        winston.format.colorize(),
        winston.format.printf(({ timestamp, level: lvl, message, app: _app, ...rest }) => {
          const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
          return `${String(timestamp)} ${lvl} [${app}] ${String(message)}${extra}`;
        }),
      );
  return winston.createLogger({ level, format, defaultMeta: { app }, transports: [new winston.transports.Console()] });
}
