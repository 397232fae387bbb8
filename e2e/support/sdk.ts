import { format } from 'node:util';

/**
 * A logger for the official client in tests. The client's default logger is a process-wide file
 * logger that the first client's shutdown() closes, after which every other client's log call
 * throws; a private logger per client avoids that. Keeps the last lines for failure messages.
 */
export function sdkLogger(name: string): {
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
  debug(...a: unknown[]): void;
  lines: string[];
} {
  const lines: string[] = [];
  const push = (level: string, args: unknown[]) => {
    lines.push(`${level} [${name}] ${format(...args)}`);
    if (lines.length > 200) lines.shift();
    if (process.env.E2E_SDK_LOG) process.stderr.write(`${lines[lines.length - 1]}\n`);
  };
  return {
    info: (...a) => push('info', a),
    warn: (...a) => push('warn', a),
    error: (...a) => push('error', a),
    debug: () => undefined,
    lines,
  };
}
