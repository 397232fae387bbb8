/**
 * RocketMQ's ACL permissions (org.apache.rocketmq.acl.common.Permission): a bit set written in
 * plain_acl.yml as DENY, PUB, SUB or PUB|SUB (SUB|PUB). ANY is what a request asks for when either
 * right will do (a route lookup).
 */
export const Perm = {
  DENY: 1,
  ANY: 2,
  PUB: 4,
  SUB: 8,
} as const;

export type PermName = 'DENY' | 'PUB' | 'SUB' | 'PUB|SUB';

/** What a request needs on a resource. */
export type Needed = 'PUB' | 'SUB' | 'ANY';

/** Parses a permission as plain_acl.yml writes it; undefined for anything else. */
export function parsePerm(text: string): number | undefined {
  switch (text.trim().toUpperCase()) {
    case 'DENY':
      return Perm.DENY;
    case 'PUB':
      return Perm.PUB;
    case 'SUB':
      return Perm.SUB;
    case 'PUB|SUB':
    case 'SUB|PUB':
      return Perm.PUB | Perm.SUB;
    default:
      return undefined;
  }
}

/** The name of a permission bit set, for messages. */
export function permName(perm: number): PermName {
  if ((perm & Perm.PUB) !== 0 && (perm & Perm.SUB) !== 0) return 'PUB|SUB';
  if ((perm & Perm.PUB) !== 0) return 'PUB';
  if ((perm & Perm.SUB) !== 0) return 'SUB';
  return 'DENY';
}

/** Whether an owned permission grants what is needed (Permission.checkPermission). */
export function grants(owned: number, needed: Needed): boolean {
  if ((owned & Perm.DENY) !== 0) return false;
  if (needed === 'ANY') return (owned & (Perm.PUB | Perm.SUB)) !== 0;
  return (owned & Perm[needed]) !== 0;
}
