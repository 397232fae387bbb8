import * as fs from 'node:fs';
import type { GroupManager, TopicManager } from '@orbitmq/broker';
import { OrbitError } from '@orbitmq/protocol';
import { type ConfigKey, ConfigError, parseValue } from '@orbitmq/runtime';
import type { MessageStore } from '@orbitmq/storage';
import { BROKER_CONFIG, type BrokerConfig, validateBrokerConfig } from './config';
import { storeConfig } from './settings';

/**
 * Keys `mqadmin updateBrokerConfig` changes on a running broker (RocketMQ's command): retention
 * and disk pressure (the store reads them at its next pass) and how unknown topics and groups are
 * treated. Every other key needs a restart and is refused with a message that says so.
 */
export const HOT_BROKER_KEYS = [
  'fileReservedTime',
  'deleteWhen',
  'diskMaxUsedSpaceRatio',
  'diskSpaceWarningLevelRatio',
  'cleanFileForciblyEnable',
  'autoCreateTopicEnable',
  'autoCreateSubscriptionGroup',
  'defaultTopicQueueNums',
] as const;

/** Changes in one call (each key at most once). */
const MAX_KEYS_PER_UPDATE = HOT_BROKER_KEYS.length;

export interface LiveConfigTargets {
  store: Pick<MessageStore, 'updateLiveConfig'>;
  topics: Pick<TopicManager, 'setDefaults'>;
  groups: Pick<GroupManager, 'setAutoCreate'>;
  /** A replica never creates topics (its master's arrive replicated), whatever the key says. */
  replica: boolean;
}

export interface ConfigUpdate {
  /** The keys changed, with their new values as text. */
  applied: Record<string, string>;
  /** The properties file the change was written to ('' when the broker was started without one). */
  persistedTo: string;
}

/**
 * Applies `raw` (key -> value text) to the running broker: all keys parsed and the whole
 * configuration validated first, so a bad value changes nothing; then the store, topics and groups
 * take the new values, `config` (what GetBrokerStatus reports) is updated, and the properties file
 * the broker was started with (`-c`), if any, is rewritten so a restart keeps them.
 */
export function updateBrokerConfig(
  config: BrokerConfig,
  raw: Record<string, string>,
  targets: LiveConfigTargets,
  configFile: string | undefined,
): ConfigUpdate {
  const keys = Object.keys(raw);
  if (keys.length === 0 || keys.length > MAX_KEYS_PER_UPDATE) throw new OrbitError('BAD_REQUEST', `name 1-${MAX_KEYS_PER_UPDATE} keys, not ${keys.length}`);
  const next = { ...config } as Record<string, unknown>;
  for (const key of keys) {
    const spec = (BROKER_CONFIG as Record<string, ConfigKey>)[key];
    if (!spec) throw new OrbitError('BAD_REQUEST', `unknown broker key ${key}`);
    if (!(HOT_BROKER_KEYS as readonly string[]).includes(key)) {
      throw new OrbitError('BAD_REQUEST', `${key} cannot change while the broker runs (set it and restart); these can: ${HOT_BROKER_KEYS.join(', ')}`);
    }
    next[key] = parsed(key, spec, raw[key] as string);
  }
  const candidate = next as BrokerConfig;
  try {
    // The whole configuration's rules (diskSpaceWarningLevelRatio above diskMaxUsedSpaceRatio, ...),
    // then the store's own (deleteWhen hours): a bad value is refused before anything changes.
    validateBrokerConfig(candidate);
    const store = storeConfig(candidate);
    targets.store.updateLiveConfig({
      fileReservedTimeHours: store.fileReservedTimeHours as number,
      deleteWhenHours: store.deleteWhenHours as number[],
      diskMaxUsedSpaceRatio: store.diskMaxUsedSpaceRatio as number,
      diskFullRatio: store.diskFullRatio as number,
      cleanFileForciblyEnable: store.cleanFileForciblyEnable as boolean,
    });
  } catch (e) {
    throw new OrbitError('BAD_REQUEST', (e as Error).message);
  }
  const autoCreateTopicEnable = targets.replica ? false : candidate.autoCreateTopicEnable;
  targets.topics.setDefaults({ autoCreateTopicEnable, defaultTopicQueueNums: candidate.defaultTopicQueueNums });
  targets.groups.setAutoCreate(candidate.autoCreateSubscriptionGroup);
  Object.assign(config, candidate);
  const applied = Object.fromEntries(keys.map((k) => [k, String((candidate as Record<string, unknown>)[k])]));
  if (configFile) persist(configFile, applied);
  return { applied, persistedTo: configFile ?? '' };
}

function parsed(key: string, spec: ConfigKey, raw: string): unknown {
  try {
    return parseValue(key, spec, raw, 'updateBrokerConfig');
  } catch (e) {
    throw new OrbitError('BAD_REQUEST', e instanceof ConfigError ? e.message : String(e));
  }
}

/**
 * Rewrites the `key=value` lines of a properties file (appending keys it lacks), through a
 * temporary file and a rename so a crash leaves the old file or the new one, never half of one.
 */
function persist(file: string, applied: Record<string, string>): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const pending = new Map(Object.entries(applied));
  const out = lines.map((line) => {
    const m = /^\s*([A-Za-z0-9_.]+)\s*[=:]/.exec(line);
    const key = m?.[1];
    if (key === undefined || !pending.has(key)) return line;
    const value = pending.get(key) as string;
    pending.delete(key);
    return `${key}=${value}`;
  });
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  for (const [key, value] of pending) out.push(`${key}=${value}`);
  const tmp = `${file}.updating`;
  fs.writeFileSync(tmp, `${out.join('\n')}\n`);
  fs.renameSync(tmp, file);
}
