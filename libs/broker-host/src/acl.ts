import * as path from 'node:path';
import { type AclGuard, createAclGuard, loadAclFile, watchAclFile } from '@orbitmq/acl';
import type { ConfigSchema, Logger } from '@orbitmq/runtime';

/** RocketMQ's ACL keys (aclEnable, aclFilePath as in RocketMQ 4.9+), and the v5 signature window. */
export const ACL_CONFIG = {
  aclEnable: { kind: 'bool', default: false, describe: 'check every client request (v5 and 4.x) against the accounts of plain_acl.yml' },
  aclFilePath: {
    kind: 'string',
    default: '',
    describe: 'plain_acl.yml (default: beside the -c properties file, as RocketMQ keeps both in conf/; without -c: conf/plain_acl.yml)',
  },
  aclMaxClockSkewMs: {
    kind: 'int',
    default: 300_000,
    min: 1_000,
    max: 86_400_000,
    describe: "v5 requests signed further than this from the broker's clock are refused (bounds replayed signatures)",
  },
  aclAuthFailureWindowMs: {
    kind: 'int',
    default: 10_000,
    min: 100,
    max: 3_600_000,
    describe: 'the window in which refusals for bad credentials are counted per remote IP',
  },
  aclAuthFailuresBeforeDelay: {
    kind: 'int',
    default: 10,
    min: 0,
    max: 1_000_000,
    describe: 'refusals for bad credentials per IP and window answered at once; later ones are paced by aclAuthFailureRefusalsPerSecond',
  },
  aclAuthFailureRefusalsPerSecond: {
    kind: 'int',
    default: 20,
    min: 0,
    max: 1_000_000,
    describe:
      "past the free failures, an IP's refusals are answered at this rate, each held until its turn or, for a gRPC call, until 0.9 of its time to its deadline has passed (caps a flood of bad signatures at this rate, or at its calls in flight per 0.9 of their deadline when that is more; 0: off)",
  },
  aclBrakedConnectionCallsPerSecond: {
    kind: 'int',
    default: 1,
    min: 0,
    max: 1_000_000,
    describe:
      "a connection refused past its IP's free failures, with no call of it accepted in the last minute, is read slowly until one is: an IP's braked connections together at this many calls a second, each at least once a minute (their further calls wait unread at the client); 0: off",
  },
  aclMaxHeldRefusals: {
    kind: 'int',
    default: 4_096,
    min: 0,
    max: 1_000_000,
    describe: 'refusals held at once across all IPs; past it they are answered at once (bounds memory)',
  },
} as const satisfies ConfigSchema;

interface AclSettings {
  aclEnable: boolean;
  aclFilePath: string;
  aclMaxClockSkewMs: number;
  aclAuthFailureWindowMs: number;
  aclAuthFailuresBeforeDelay: number;
  aclAuthFailureRefusalsPerSecond: number;
  aclBrakedConnectionCallsPerSecond: number;
  aclMaxHeldRefusals: number;
}

/** Where plain_acl.yml is read from. */
export function aclFilePathOf(config: AclSettings, configFile: string | undefined): string {
  if (config.aclFilePath) return config.aclFilePath;
  return configFile ? path.join(path.dirname(configFile), 'plain_acl.yml') : path.join('conf', 'plain_acl.yml');
}

/**
 * aclEnable: loads plain_acl.yml (a missing or broken file stops the start with its reason) and
 * reloads it when it changes, logging each reload or refused edit. Undefined when ACL is off.
 */
export function openAcl(config: AclSettings, configFile: string | undefined, logger: Logger): { guard: AclGuard; stop(): void } | undefined {
  if (!config.aclEnable) return undefined;
  const file = aclFilePathOf(config, configFile);
  const guard = createAclGuard(loadAclFile(file), {
    maxClockSkewMs: config.aclMaxClockSkewMs,
    failureDelay: {
      windowMs: config.aclAuthFailureWindowMs,
      freeFailures: config.aclAuthFailuresBeforeDelay,
      refusalsPerSecond: config.aclAuthFailureRefusalsPerSecond,
      maxHeld: config.aclMaxHeldRefusals,
    },
    brakedConnectionCallsPerSecond: config.aclBrakedConnectionCallsPerSecond,
  });
  const stop = watchAclFile(file, (c) => guard.replace(c), {
    reloaded: (accounts) => logger.info('acl file reloaded', { file, accounts }),
    rejected: (reason) => logger.warn('acl file edit refused; the previous accounts stay in force', { file, reason }),
  });
  logger.info('acl enabled', { file });
  return { guard, stop };
}
