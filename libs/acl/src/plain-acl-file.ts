import { parse } from 'yaml';
import { type AddressMatcher, addressMatcher, anyAddress } from './remote-address';
import { Perm, parsePerm, permName } from './permission';

/*
 * RocketMQ's plain_acl.yml (PlainPermissionManager), e.g.
 *
 *   globalWhiteRemoteAddresses: ['10.10.103.*']
 *   accounts:
 *     - accessKey: RocketMQ
 *       secretKey: 12345678
 *       whiteRemoteAddress: 192.168.0.*
 *       admin: false
 *       defaultTopicPerm: DENY
 *       defaultGroupPerm: SUB
 *       topicPerms: [topicA=DENY, topicB=PUB|SUB, topicC=SUB]
 *       groupPerms: [groupA=DENY, groupB=PUB|SUB]
 *
 * Unset default permissions are DENY, as in RocketMQ. Keys are at least 6 characters (RocketMQ's
 * rule); an account listed twice, a bad permission or address pattern refuses the whole file with
 * a message that names the account and field — never a secret.
 */

export interface AclAccount {
  accessKey: string;
  secretKey: string;
  admin: boolean;
  /** Requests from these addresses need no signature for this account. */
  whiteRemoteAddress: AddressMatcher;
  /** The patterns behind whiteRemoteAddress, as written. */
  whiteRemoteAddressPatterns: readonly string[];
  defaultTopicPerm: number;
  defaultGroupPerm: number;
  topicPerms: ReadonlyMap<string, number>;
  groupPerms: ReadonlyMap<string, number>;
}

export interface AclConfig {
  /** Requests from these addresses pass without credentials. */
  globalWhiteRemoteAddresses: AddressMatcher;
  /** The patterns behind globalWhiteRemoteAddresses, as written. */
  globalWhiteRemoteAddressPatterns: readonly string[];
  accounts: ReadonlyMap<string, AclAccount>;
}

export const MIN_KEY_LENGTH = 6;

export class AclFileError extends Error {}

/** Parses the text of a plain_acl.yml; throws AclFileError naming what is wrong. */
export function parsePlainAcl(text: string): AclConfig {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (e) {
    throw new AclFileError(`not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(doc)) throw new AclFileError('the top level must be a mapping (globalWhiteRemoteAddresses, accounts)');
  const accounts = new Map<string, AclAccount>();
  const list = doc.accounts ?? [];
  if (!Array.isArray(list)) throw new AclFileError('accounts must be a list');
  list.forEach((raw, i) => {
    const account = parseAccount(raw, i);
    if (accounts.has(account.accessKey)) throw new AclFileError(`accounts[${i}]: accessKey ${account.accessKey} is listed twice`);
    accounts.set(account.accessKey, account);
  });
  return {
    globalWhiteRemoteAddresses: addresses(doc.globalWhiteRemoteAddresses, 'globalWhiteRemoteAddresses'),
    globalWhiteRemoteAddressPatterns: patternsOf(doc.globalWhiteRemoteAddresses),
    accounts,
  };
}

function parseAccount(raw: unknown, i: number): AclAccount {
  const where = `accounts[${i}]`;
  if (!isRecord(raw)) throw new AclFileError(`${where} must be a mapping`);
  const accessKey = text(raw.accessKey);
  if (accessKey.length < MIN_KEY_LENGTH) throw new AclFileError(`${where}: accessKey must be at least ${MIN_KEY_LENGTH} characters`);
  const at = `${where} (${accessKey})`;
  const secretKey = text(raw.secretKey);
  if (secretKey.length < MIN_KEY_LENGTH) throw new AclFileError(`${at}: secretKey must be at least ${MIN_KEY_LENGTH} characters`);
  if (raw.admin !== undefined && raw.admin !== null && typeof raw.admin !== 'boolean') throw new AclFileError(`${at}: admin must be true or false`);
  return {
    accessKey,
    secretKey,
    admin: raw.admin === true,
    whiteRemoteAddress: addresses(raw.whiteRemoteAddress, `${at} whiteRemoteAddress`),
    whiteRemoteAddressPatterns: patternsOf(raw.whiteRemoteAddress),
    defaultTopicPerm: perm(raw.defaultTopicPerm, `${at} defaultTopicPerm`),
    defaultGroupPerm: perm(raw.defaultGroupPerm, `${at} defaultGroupPerm`),
    topicPerms: resourcePerms(raw.topicPerms, `${at} topicPerms`),
    groupPerms: resourcePerms(raw.groupPerms, `${at} groupPerms`),
  };
}

function perm(value: unknown, where: string): number {
  if (value === undefined || value === null || value === '') return Perm.DENY;
  const p = parsePerm(text(value));
  if (p === undefined) throw new AclFileError(`${where}: '${text(value)}' is not DENY, PUB, SUB or PUB|SUB`);
  return p;
}

/** `name=PERM` entries (RocketMQ's format). */
function resourcePerms(value: unknown, where: string): Map<string, number> {
  const out = new Map<string, number>();
  if (value === undefined || value === null) return out;
  if (!Array.isArray(value)) throw new AclFileError(`${where} must be a list of name=PERM`);
  for (const entry of value) {
    const s = text(entry);
    const eq = s.lastIndexOf('=');
    const name = s.slice(0, eq).trim();
    if (eq <= 0 || name === '') throw new AclFileError(`${where}: '${s}' is not name=PERM`);
    out.set(name, perm(s.slice(eq + 1), `${where} ${name}`));
  }
  return out;
}

/** The address patterns as written: one string or a list. */
function patternsOf(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value.map(text) : [text(value)];
}

/** One pattern or a list of them (RocketMQ takes a string; lists are accepted too). */
function addresses(value: unknown, where: string): AddressMatcher {
  const patterns = patternsOf(value);
  if (patterns.length === 0) return () => false;
  try {
    return patterns.length === 1 ? addressMatcher(patterns[0] as string) : anyAddress(patterns);
  } catch (e) {
    throw new AclFileError(`${where}: ${(e as Error).message}`);
  }
}

function text(v: unknown): string {
  return v === undefined || v === null ? '' : String(v).trim();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An account as an operator may see it: everything but the secret. */
export interface AclAccountView {
  accessKey: string;
  admin: boolean;
  whiteRemoteAddress: string[];
  defaultTopicPerm: string;
  defaultGroupPerm: string;
  topicPerms: { resource: string; perm: string }[];
  groupPerms: { resource: string; perm: string }[];
}

/** The accounts in force, without their secrets (for status answers and the dashboard). */
export function describeAcl(c: AclConfig): { globalWhiteRemoteAddresses: string[]; accounts: AclAccountView[] } {
  const perms = (m: ReadonlyMap<string, number>) => [...m].map(([resource, p]) => ({ resource, perm: permName(p) }));
  return {
    globalWhiteRemoteAddresses: [...c.globalWhiteRemoteAddressPatterns],
    accounts: [...c.accounts.values()].map((a) => ({
      accessKey: a.accessKey,
      admin: a.admin,
      whiteRemoteAddress: [...a.whiteRemoteAddressPatterns],
      defaultTopicPerm: permName(a.defaultTopicPerm),
      defaultGroupPerm: permName(a.defaultGroupPerm),
      topicPerms: perms(a.topicPerms),
      groupPerms: perms(a.groupPerms),
    })),
  };
}
