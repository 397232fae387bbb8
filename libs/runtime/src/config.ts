import * as fs from 'node:fs';
import yargs from 'yargs';
import { parseProperties } from './properties';

/**
 * Configuration for every app, from (lowest to highest precedence) defaults, a `-c` properties
 * file with RocketMQ's key names, environment variables, and command-line flags. Keys are declared
 * once in a schema; values are parsed and range-checked here, so an app never sees a bad one.
 *
 * - Unknown key in the file: a warning naming it (the seeds' files carry keys we do not use).
 * - Unknown flag: an error (a typo on the command line should not be silently ignored).
 * - Invalid value anywhere: ConfigError, one line naming key, value and why; apps exit 2.
 */
export type ConfigKey =
  | { kind: 'string'; default: string; describe: string; env?: string[]; alias?: string; nonEmpty?: boolean; secret?: boolean }
  | { kind: 'int'; default: number; describe: string; env?: string[]; alias?: string; min: number; max: number }
  | { kind: 'bool'; default: boolean; describe: string; env?: string[]; alias?: string }
  | { kind: 'enum'; default: string; describe: string; env?: string[]; alias?: string; choices: readonly string[] }
  | { kind: 'list'; default: string[]; describe: string; env?: string[]; alias?: string; separator: string };

export type ConfigSchema = Record<string, ConfigKey>;

type ValueOf<K extends ConfigKey> = K extends { kind: 'int' }
  ? number
  : K extends { kind: 'bool' }
    ? boolean
    : K extends { kind: 'list' }
      ? string[]
      : K extends { kind: 'enum'; choices: readonly (infer C)[] }
        ? C
        : string;

export type ConfigValues<S extends ConfigSchema> = { -readonly [P in keyof S]: ValueOf<S[P]> };

export type ConfigSource = 'default' | 'file' | 'env' | 'flag';

export interface LoadedConfig<S extends ConfigSchema> {
  values: ConfigValues<S>;
  sources: Record<keyof S, ConfigSource>;
  /** Problems that do not stop the app (unknown keys in the file). */
  warnings: string[];
  /** The properties file, if one was given. */
  file?: string;
  /** --printConfig: print the effective configuration and exit. */
  printOnly: boolean;
  /** --help was given: yargs printed the usage (it does not exit the process itself), nothing should start. */
  helpOnly: boolean;
}

export class ConfigError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** ORBITMQ_ + the key in UPPER_SNAKE_CASE: listenPort -> ORBITMQ_LISTEN_PORT. */
export function envName(key: string): string {
  return `ORBITMQ_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

export function loadConfig<S extends ConfigSchema>(appName: string, schema: S, argv: string[], env: NodeJS.ProcessEnv = process.env): LoadedConfig<S> {
  const flags = parseFlags(appName, schema, argv);
  const values = {} as Record<string, unknown>;
  const sources = {} as Record<string, ConfigSource>;
  for (const [key, spec] of Object.entries(schema)) {
    values[key] = spec.default;
    sources[key] = 'default';
  }
  const warnings: string[] = [];
  const file = typeof flags.c === 'string' ? flags.c : undefined;
  if (file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    for (const { key, value, line } of parseProperties(text)) {
      const spec = schema[key];
      if (!spec) {
        warnings.push(`unknown config key '${key}' in ${file}:${line} is ignored`);
        continue;
      }
      values[key] = parseValue(key, spec, value, `${file}:${line}`);
      sources[key] = 'file';
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    for (const name of [envName(key), ...(spec.env ?? [])]) {
      const raw = env[name];
      if (raw === undefined || raw === '') continue;
      values[key] = parseValue(key, spec, raw, `environment ${name}`);
      sources[key] = 'env';
      break;
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    const raw = flags[key];
    if (raw === undefined) continue;
    values[key] = parseValue(key, spec, String(Array.isArray(raw) ? raw[raw.length - 1] : raw), `flag --${key}`);
    sources[key] = 'flag';
  }
  return {
    values: values as ConfigValues<S>,
    sources: sources as Record<keyof S, ConfigSource>,
    warnings,
    ...(file !== undefined ? { file } : {}),
    printOnly: flags.printConfig === true,
    helpOnly: flags.help === true,
  };
}

function parseFlags(appName: string, schema: ConfigSchema, argv: string[]): Record<string, unknown> {
  let parser = yargs(argv)
    .scriptName(appName)
    .usage(`$0 [-c broker.properties] [--key value ...]`)
    .option('c', { alias: 'config', type: 'string', describe: 'properties file with RocketMQ key names' })
    .option('printConfig', { alias: 'p', type: 'boolean', describe: 'print the effective configuration and exit' })
    .strict()
    .version(false)
    .help('help')
    .exitProcess(false)
    .fail((msg, err) => {
      throw new ConfigError(msg || err?.message || 'invalid command line');
    });
  for (const [key, spec] of Object.entries(schema)) {
    // Every value arrives as a string and is parsed by parseValue, so file, env and flags agree.
    parser = parser.option(key, {
      type: 'string',
      describe: `${spec.describe} (default: ${formatDefault(spec)})`,
      ...(spec.alias ? { alias: spec.alias } : {}),
    });
  }
  return parser.parseSync() as Record<string, unknown>;
}

function formatDefault(spec: ConfigKey): string {
  return spec.kind === 'list' ? spec.default.join(spec.separator) || '(none)' : String(spec.default) || '(none)';
}

function invalid(key: string, raw: string, where: string, why: string): never {
  throw new ConfigError(`invalid value for ${key}: '${raw}' (${why}; from ${where})`);
}

export function parseValue(key: string, spec: ConfigKey, raw: string, where: string): unknown {
  const value = raw.trim();
  switch (spec.kind) {
    case 'string':
      if (spec.nonEmpty && value === '') invalid(key, raw, where, 'must not be empty');
      return value;
    case 'int': {
      const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < spec.min || n > spec.max) invalid(key, raw, where, `expected an integer from ${spec.min} to ${spec.max}`);
      return n;
    }
    case 'bool': {
      const v = value.toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
      return invalid(key, raw, where, 'expected true or false');
    }
    case 'enum':
      if (!spec.choices.includes(value)) invalid(key, raw, where, `expected one of ${spec.choices.join(', ')}`);
      return value;
    case 'list':
      return value
        .split(spec.separator)
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
  }
}

/** "host:port" with a port in range; used to validate address lists such as namesrvAddr. */
export function checkEndpoint(key: string, endpoint: string): void {
  const m = /^([^:\s]+):(\d{1,5})$/.exec(endpoint);
  if (!m || Number(m[2]) > 65535) throw new ConfigError(`invalid value for ${key}: '${endpoint}' (expected host:port)`);
}

/** The effective configuration as a properties file (for --printConfig). */
export function formatConfig<S extends ConfigSchema>(schema: S, loaded: LoadedConfig<S>): string {
  return Object.keys(schema)
    .map((k) => {
      const spec = schema[k] as ConfigKey;
      const v = loaded.values[k as keyof S] as unknown;
      const text = valueText(spec, v);
      return `${k}=${isSecret(spec) && text !== '' ? SECRET_MASK : text}`;
    })
    .join('\n');
}

/** What --printConfig and status answers show instead of a secret's value. */
export const SECRET_MASK = '<secret>';

function isSecret(spec: ConfigKey): boolean {
  return spec.kind === 'string' && spec.secret === true;
}

/** A value as a properties file writes it (lists joined by their separator). */
function valueText(spec: ConfigKey, v: unknown): string {
  return spec.kind === 'list' && Array.isArray(v) ? v.join(spec.separator) : String(v);
}

/**
 * For each key whose value is not its default: the default, as text (what a status answer shows
 * beside the value, so an operator sees at a glance what a broker runs with that others may not).
 */
export function changedDefaults<S extends ConfigSchema>(schema: S, values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, raw] of Object.entries(schema)) {
    const spec = raw as ConfigKey;
    if (!(k in values)) continue;
    const text = valueText(spec, spec.default);
    if (valueText(spec, values[k]) !== text) out[k] = isSecret(spec) && text !== '' ? SECRET_MASK : text;
  }
  return out;
}

/** The values with every secret key masked (for status answers and logs). */
export function maskSecrets<S extends ConfigSchema>(schema: S, values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...values };
  for (const [k, spec] of Object.entries(schema)) if (isSecret(spec as ConfigKey) && out[k]) out[k] = SECRET_MASK;
  return out;
}
