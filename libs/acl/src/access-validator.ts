import { OrbitError } from '@orbitmq/protocol';
import type { AclAccount, AclConfig } from './plain-acl-file';
import { type Needed, grants } from './permission';

/** A topic or consumer group a request touches, and the right it needs there. */
export interface ResourceNeed {
  kind: 'topic' | 'group';
  name: string;
  need: Needed;
}

/** What the protocol adapter learned from one request. */
export interface AccessRequest {
  /** The peer's IP, for the white lists. */
  remoteIp: string;
  /** Absent when the request carries no credentials. */
  credentials?: {
    accessKey: string;
    /** Why the credentials cannot be checked (a malformed header, a time outside the window). */
    problem?: string;
    /** Recomputes the request's signature with the account's secret and compares. */
    signatureMatches(secretKey: string): boolean;
  };
  resources: readonly ResourceNeed[];
  /** Admin commands (topic and group changes, offset resets, ...). */
  adminOnly?: boolean;
}

const RETRY_PREFIX = '%RETRY%';
const DLQ_PREFIX = '%DLQ%';

/**
 * RocketMQ's PlainPermissionManager.validate, in its order: a globally white-listed address
 * passes; otherwise the access key must name an account; the account's own white list passes;
 * otherwise the signature must match; admin accounts pass; then each resource's permission (the
 * listed one, else the account's default). Retry and dead-letter topics are the group's resource
 * (SUB), as in RocketMQ. Refusals are OrbitErrors: UNAUTHORIZED for credentials, FORBIDDEN for
 * permissions, with a message that names the access key and resource, never a secret.
 */
export class AccessValidator {
  constructor(private config: AclConfig) {}

  /** A reloaded plain_acl.yml takes effect for the next request. */
  replace(config: AclConfig): void {
    this.config = config;
  }

  get accountCount(): number {
    return this.config.accounts.size;
  }

  /** Throws UNAUTHORIZED or FORBIDDEN; returns the account that passed (undefined: white-listed). */
  validate(req: AccessRequest): AclAccount | undefined {
    if (this.config.globalWhiteRemoteAddresses(req.remoteIp)) return undefined;
    const creds = req.credentials;
    if (!creds) throw new OrbitError('UNAUTHORIZED', `ACL is on: the request carries no credentials (from ${req.remoteIp})`);
    const account = this.config.accounts.get(creds.accessKey);
    if (!account) throw new OrbitError('UNAUTHORIZED', creds.problem ?? `no ACL account has accessKey ${creds.accessKey}`);
    if (account.whiteRemoteAddress(req.remoteIp)) return account;
    if (creds.problem) throw new OrbitError('UNAUTHORIZED', `${creds.problem} (accessKey ${creds.accessKey})`);
    if (!creds.signatureMatches(account.secretKey)) throw new OrbitError('UNAUTHORIZED', `the signature does not match for accessKey ${creds.accessKey}`);
    if (account.admin) return account;
    if (req.adminOnly) throw new OrbitError('FORBIDDEN', `accessKey ${account.accessKey} is not an admin account`);
    for (const r of req.resources) checkResource(account, r);
    return account;
  }
}

function checkResource(account: AclAccount, r: ResourceNeed): void {
  if (r.name === '') return;
  let kind = r.kind;
  let name = r.name;
  let need = r.need;
  for (const prefix of [RETRY_PREFIX, DLQ_PREFIX]) {
    if (kind === 'topic' && name.startsWith(prefix)) {
      kind = 'group';
      name = name.slice(prefix.length);
      need = 'SUB';
    }
  }
  const owned = kind === 'topic' ? (account.topicPerms.get(name) ?? account.defaultTopicPerm) : (account.groupPerms.get(name) ?? account.defaultGroupPerm);
  if (!grants(owned, need)) {
    const what = need === 'ANY' ? 'PUB or SUB' : need;
    throw new OrbitError('FORBIDDEN', `accessKey ${account.accessKey} has no ${what} permission on ${kind} ${name}`);
  }
}
