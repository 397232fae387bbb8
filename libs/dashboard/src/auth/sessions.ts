import { randomBytes, timingSafeEqual } from 'node:crypto';

/** viewer: reads only. admin: reads and writes (read-only mode still refuses writes). */
export type Role = 'viewer' | 'admin';

export interface Session {
  id: string;
  user: string;
  role: Role;
  /** Sent back in x-csrf-token on every write; never in a cookie. */
  csrfToken: string;
  /** acl mode: the account's keys; every admin call of this session is signed with them. */
  credentials?: { accessKey: string; secretKey: string };
  lastSeenMs: number;
}

export interface SessionLimits {
  /** A session unused this long is forgotten (the user logs in again). */
  idleTimeoutMs: number;
  /** Sessions kept at once; past it the least recently used goes. */
  maxSessions: number;
}

const token = (): string => randomBytes(24).toString('base64url');

/** Sessions live in this process's memory only: a restart logs everyone out, nothing leaks to disk. */
export class SessionStore {
  private readonly byId = new Map<string, Session>();

  constructor(
    private readonly limits: SessionLimits,
    private readonly nowMs: () => number = Date.now,
  ) {}

  create(user: string, role: Role, credentials?: Session['credentials']): Session {
    const s: Session = { id: token(), user, role, csrfToken: token(), lastSeenMs: this.nowMs(), ...(credentials ? { credentials } : {}) };
    this.byId.set(s.id, s);
    while (this.byId.size > this.limits.maxSessions) this.byId.delete(this.byId.keys().next().value as string);
    return s;
  }

  /** The live session with this id (touched: idle time restarts), else undefined. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.byId.get(id);
    if (!s) return undefined;
    this.byId.delete(id);
    if (this.nowMs() - s.lastSeenMs > this.limits.idleTimeoutMs) return undefined;
    s.lastSeenMs = this.nowMs();
    this.byId.set(id, s); // Map order: least recently used first
    return s;
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(session: Session, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
