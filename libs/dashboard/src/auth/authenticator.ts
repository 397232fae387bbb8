import { FailureDelay } from '@orbitmq/acl';
import { type ClusterAdmin, callBroker, targets } from '@orbitmq/admin-client';
import { toOrbitError } from '@orbitmq/protocol';
import { DashboardError } from '../problems';
import type { Role, Session } from './sessions';
import { loadUsers, passwordMatches } from './users-file';

/**
 * none: no login (refused at start unless the dashboard listens on loopback);
 * file: a users file (scrypt hashes, roles admin / viewer), read at each login so edits apply;
 * acl:  an ACL account of the brokers' plain_acl.yml; the brokers decide (the login is a signed
 *       admin call, and every later call of the session is signed with the same keys).
 */
export type AuthMode = 'none' | 'file' | 'acl';

export interface LoginInput {
  user?: string;
  password?: string;
  accessKey?: string;
  secretKey?: string;
}

export interface LoggedIn {
  user: string;
  role: Role;
  credentials?: Session['credentials'];
}

/** Failed logins per IP and minute answered at once; later ones are paced (one a second). */
const LOGIN_FREE_FAILURES = 5;

export class Authenticator {
  private readonly failures = new FailureDelay({ windowMs: 60_000, freeFailures: LOGIN_FREE_FAILURES, refusalsPerSecond: 1, maxHeld: 256 });

  constructor(
    readonly mode: AuthMode,
    private readonly admin: ClusterAdmin,
    private readonly usersFile: string,
  ) {}

  /** Checks a login; a refusal is paced when the same IP keeps failing. */
  async login(input: LoginInput, ip: string): Promise<LoggedIn> {
    try {
      return await this.check(input);
    } catch (e) {
      await new Promise<void>((resolve) => this.failures.refuse(ip, resolve));
      throw e;
    }
  }

  private async check(input: LoginInput): Promise<LoggedIn> {
    if (this.mode === 'none') return { user: 'local', role: 'admin' };
    if (this.mode === 'file') {
      const user = loadUsers(this.usersFile).find((u) => u.name === input.user);
      // The hash is computed even for an unknown user, so timing does not tell which names exist.
      const ok = passwordMatches(user?.password ?? 'scrypt$16384$8$1$00$00', input.password ?? '');
      if (!user || !ok) throw new DashboardError('LOGIN_FAILED', 'unknown user or wrong password');
      return { user: user.name, role: user.role };
    }
    const { accessKey = '', secretKey = '' } = input;
    if (!accessKey || !secretKey) throw new DashboardError('LOGIN_FAILED', 'an ACL login needs an access key and its secret');
    const signed = this.admin.signedAs(accessKey, secretKey).opts;
    const [first] = await targets(signed);
    if (!first) throw new DashboardError('LOGIN_FAILED', 'no broker is registered to check the account with');
    try {
      await callBroker(signed, first.address, (c) => c.GetBrokerStatus.bind(c), {});
    } catch (e) {
      const err = toOrbitError(e);
      if (err.code === 'UNAUTHORIZED' || err.code === 'FORBIDDEN') {
        throw new DashboardError('LOGIN_FAILED', `broker ${first.brokerName} refused ${accessKey}: ${err.code === 'FORBIDDEN' ? 'not an admin account' : 'unknown key or wrong secret'}`);
      }
      throw err;
    }
    return { user: accessKey, role: 'admin', credentials: { accessKey, secretKey } };
  }
}
