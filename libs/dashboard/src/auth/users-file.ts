import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import { parse } from 'yaml';
import type { Role } from './sessions';

/*
 * dashboardAuth=file: people and roles in a YAML file, passwords as scrypt hashes:
 *
 *   users:
 *     - name: alice
 *       role: admin            # admin (reads and writes) or viewer (reads)
 *       password: scrypt$16384$8$1$<salt hex>$<hash hex>
 *
 * `orbitmq-dashboard --hashPassword <password>` prints such a hash.
 */

export interface DashboardUser {
  name: string;
  role: Role;
  password: string;
}

const SCRYPT_KEY_BYTES = 32;
const SCRYPT = { N: 16_384, r: 8, p: 1 };

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT_KEY_BYTES, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

export function passwordMatches(stored: string, password: string): boolean {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'hex');
  const got = scryptSync(password, Buffer.from(salt, 'hex'), want.length, { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Parses the users file; a mistake names the entry and field (never a hash). */
export function parseUsers(text: string): DashboardUser[] {
  const doc = parse(text) as { users?: unknown } | null;
  if (!doc || !Array.isArray(doc.users)) throw new Error('the users file needs a "users:" list');
  return doc.users.map((u: unknown, i: number) => {
    const { name, role, password } = (u ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !/^[\w.@-]{1,64}$/.test(name)) throw new Error(`users[${i}]: name must be 1-64 letters, digits or ._@-`);
    if (role !== 'admin' && role !== 'viewer') throw new Error(`users[${i}] (${name}): role must be admin or viewer`);
    if (typeof password !== 'string' || !password.startsWith('scrypt$') || password.split('$').length !== 6) {
      throw new Error(`users[${i}] (${name}): password must be a hash from --hashPassword`);
    }
    return { name, role, password };
  });
}

export function loadUsers(file: string): DashboardUser[] {
  return parseUsers(fs.readFileSync(file, 'utf8'));
}
