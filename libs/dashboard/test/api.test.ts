/**
 * The dashboard's HTTP guards and input checks, through Fastify's inject: sessions and their
 * cookie, CSRF and cross-origin writes, read-only mode and roles, file logins, and bad input on
 * every route. The cluster behind is unreachable on purpose: everything here is decided before a
 * route talks to it (the e2e test drives a real cluster).
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterAdmin } from '@orbitmq/admin-client';
import type { FastifyInstance } from 'fastify';
import { type AuditEvent, Authenticator, DEFAULT_LIMITS, SESSION_COOKIE, SessionStore, createDashboardServer, hashPassword, parseUsers } from '../src';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-api-'));
fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
const usersFile = path.join(dir, 'users.yml');
fs.writeFileSync(
  usersFile,
  `users:\n  - name: alice\n    role: admin\n    password: ${hashPassword('alice-pw')}\n  - name: victor\n    role: viewer\n    password: ${hashPassword('victor-pw')}\n`,
);
const apps: FastifyInstance[] = [];
after(async () => {
  for (const a of apps) await a.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function dashboard(mode: 'none' | 'file', readOnly = false): Promise<{ app: FastifyInstance; audit: AuditEvent[] }> {
  const admin = new ClusterAdmin({ namesrvAddr: '127.0.0.1:1', timeoutMs: 300 });
  const audit: AuditEvent[] = [];
  const app = await createDashboardServer({
    admin,
    auth: new Authenticator(mode, admin, usersFile),
    sessions: new SessionStore({ idleTimeoutMs: 60_000, maxSessions: 10 }),
    readOnly,
    publicDir: dir,
    secureCookies: false,
    namesrvAddr: '127.0.0.1:1',
    limits: { ...DEFAULT_LIMITS, maxTestMessageBytes: 16 },
    audit: (e) => audit.push(e),
  });
  apps.push(app);
  return { app, audit };
}

/** Logs in (none: just asks for the session) and returns the cookie and CSRF token. */
async function login(app: FastifyInstance, user?: string, password?: string): Promise<{ cookie: string; csrf: string }> {
  const res = user
    ? await app.inject({ method: 'POST', url: '/api/login', payload: { user, password } })
    : await app.inject({ method: 'GET', url: '/api/session' });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  assert.ok(cookie, 'a session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  return { cookie: `${SESSION_COOKIE}=${cookie.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

const code = (res: { json(): unknown }) => (res.json() as { code: string }).code;

test('no session: every API route but session and login answers 401 NOT_LOGGED_IN; pages carry a strict CSP', async () => {
  const { app } = await dashboard('file');
  for (const [method, url] of [
    ['GET', '/api/overview'],
    ['GET', '/api/brokers/broker-a/0'],
    ['GET', '/api/pending'],
    ['GET', '/api/acl'],
    ['GET', '/api/topics'],
    ['GET', '/api/groups'],
    ['POST', '/api/topics'],
    ['GET', '/api/topics/T1/tail'],
    ['GET', '/api/messages?id=0123456789ABCDEF'],
  ] as const) {
    const res = await app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    assert.equal(res.statusCode, 401, `${method} ${url}`);
    assert.equal(code(res), 'NOT_LOGGED_IN');
  }
  const session = await app.inject({ method: 'GET', url: '/api/session' });
  assert.deepEqual(session.json(), { authMode: 'file', readOnly: false, loggedIn: false });
  const page = await app.inject({ method: 'GET', url: '/' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-security-policy']), /default-src 'self';script-src 'self'.*connect-src 'self'.*frame-ancestors 'none'/);
  assert.equal(code(await app.inject({ method: 'GET', url: '/api/nope' })), 'NOT_LOGGED_IN');
});

test('writes need the session CSRF token and a same-origin Origin', async () => {
  const { app } = await dashboard('none');
  const { cookie, csrf } = await login(app);
  const write = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/topics', headers: { cookie, ...headers }, payload: { topic: 'T1' } });
  assert.equal(code(await write({})), 'CSRF');
  assert.equal(code(await write({ 'x-csrf-token': 'forged' })), 'CSRF');
  assert.equal(code(await write({ 'x-csrf-token': csrf, origin: 'http://evil.example' })), 'CSRF');
  // Past the guards: the (unreachable) cluster answers, not the guard.
  const passed = await write({ 'x-csrf-token': csrf, origin: 'http://localhost:80', host: 'localhost:80' });
  assert.notEqual(code(passed), 'CSRF');
  assert.ok(passed.statusCode >= 500 || passed.statusCode === 404, passed.body);
});

test('file logins: wrong passwords and unknown users are refused alike; viewers read, admins write; logout ends the session', async () => {
  const { app, audit } = await dashboard('file');
  for (const [user, password] of [
    ['alice', 'wrong'],
    ['mallory', 'alice-pw'],
  ]) {
    const res = await app.inject({ method: 'POST', url: '/api/login', payload: { user, password } });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { code: 'LOGIN_FAILED', message: 'unknown user or wrong password' });
  }
  const viewer = await login(app, 'victor', 'victor-pw');
  const refused = await app.inject({ method: 'POST', url: '/api/topics', headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf }, payload: { topic: 'T1' } });
  assert.equal(refused.statusCode, 403);
  assert.equal(code(refused), 'ROLE');
  const admin = await login(app, 'alice', 'alice-pw');
  const allowed = await app.inject({ method: 'POST', url: '/api/topics', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload: { topic: 'T1' } });
  assert.ok(!['ROLE', 'CSRF', 'READ_ONLY', 'NOT_LOGGED_IN'].includes(code(allowed)), allowed.body);
  assert.ok(audit.some((e) => e.action === 'login' && e.user === 'alice'));
  await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
  assert.equal(code(await app.inject({ method: 'GET', url: '/api/topics', headers: { cookie: admin.cookie } })), 'NOT_LOGGED_IN');
});

test('read-only mode refuses every write on the server, previews included nothing', async () => {
  const { app } = await dashboard('none', true);
  const { cookie, csrf } = await login(app);
  const headers = { cookie, 'x-csrf-token': csrf };
  for (const [method, url, payload] of [
    ['POST', '/api/topics', { topic: 'T1' }],
    ['DELETE', '/api/topics/T1?confirm=T1', undefined],
    ['POST', '/api/topics/T1/messages', { body: 'x' }],
    ['POST', '/api/topics/T1/groups/G1/reset', { to: 'earliest' }],
    ['POST', '/api/topics/%25DLQ%25G1/resend', { offsets: [0], to: 'T1' }],
  ] as const) {
    const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    assert.equal(res.statusCode, 403, `${method} ${url}`);
    assert.equal(code(res), 'READ_ONLY');
  }
  const preview = await app.inject({ method: 'GET', url: '/api/topics/T1/groups/G1/reset-preview?to=earliest', headers });
  assert.notEqual(code(preview), 'READ_ONLY');
  assert.equal((await app.inject({ method: 'GET', url: '/api/session', headers })).json<{ readOnly: boolean }>().readOnly, true);
});

test('bad input on every route is a 400 BAD_INPUT naming the field, before the cluster is asked', async () => {
  const { app } = await dashboard('none');
  const { cookie, csrf } = await login(app);
  const headers = { cookie, 'x-csrf-token': csrf };
  const cases: [string, string, unknown?][] = [
    ['GET', '/api/topics?limit=100000'],
    ['GET', '/api/topics?offset=-1'],
    ['GET', '/api/topics?color=red'],
    ['GET', '/api/groups?limit=100000'],
    ['GET', '/api/groups?search=' + 'g'.repeat(200)],
    ['POST', '/api/topics', { topic: 'bad name' }],
    ['POST', '/api/topics', { topic: 'T1', readQueueNums: 0 }],
    ['POST', '/api/topics', { topic: 'T1', perm: 5 }],
    ['POST', '/api/topics', { topic: 'T1', admin: true }],
    ['DELETE', '/api/topics/T1'],
    ['DELETE', '/api/topics/T1?confirm=T2'],
    ['GET', '/api/topics/a%20b'],
    ['POST', '/api/topics/T1/messages', { body: 'x'.repeat(17) }],
    ['POST', '/api/topics/T1/messages', { body: 'x', tag: 'a|b' }],
    ['POST', '/api/topics/T1/messages', {}],
    ['GET', '/api/topics/T1/search?max=100000'],
    ['GET', '/api/topics/T1/search?queueId=abc'],
    ['GET', '/api/topics/T1/search?queueId=-2'],
    ['GET', '/api/topics/T1/search?offset=5'],
    ['GET', '/api/topics/T1/search?beginMs=5000&endMs=10'],
    ['GET', '/api/topics/T1/search?sql=' + 'x'.repeat(3000)],
    ['GET', '/api/topics/T1/search?other=1'],
    ['GET', '/api/messages'],
    ['GET', '/api/messages?id=not-hex'],
    ['GET', '/api/messages?topic=T1'],
    ['GET', '/api/topics/T1/groups/bad%20group'],
    ['GET', '/api/topics/bad%20topic/groups'],
    ['GET', '/api/topics/T1/groups/G1/reset-preview?to=yesterday'],
    ['GET', '/api/topics/T1/groups/G1/reset-preview?to=time'],
    ['POST', '/api/topics/T1/groups/G1/reset', { to: 'time', timestampMs: -5 }],
    ['GET', '/api/topics/T1/tail?sql=' + 'x'.repeat(3000)],
    ['GET', '/api/brokers/broker-a/abc'],
    ['GET', '/api/brokers/broker-a/-1'],
    ['GET', '/api/brokers/bad%20name/0'],
    ['GET', '/api/brokers/127.0.0.1:10911/0'],
    ['GET', '/api/pending?limit=0'],
    ['GET', '/api/pending?limit=5000'],
    ['GET', '/api/pending?topic=bad%20name'],
    ['GET', '/api/pending?other=1'],
    ['POST', '/api/topics/%25DLQ%25G1/resend', { offsets: [], to: 'T1' }],
    ['POST', '/api/topics/%25DLQ%25G1/resend', { offsets: [1, 1], to: 'T1' }],
    ['POST', '/api/topics/%25DLQ%25G1/resend', { offsets: Array.from({ length: 65 }, (_, i) => i), to: 'T1' }],
    ['POST', '/api/topics/%25DLQ%25G1/resend', { offsets: [-1], to: 'T1' }],
    ['POST', '/api/topics/%25DLQ%25G1/resend', { offsets: [0], to: '' }],
    ['GET', '/api/messages?topic=T1&beginMs=5000&endMs=1000'],
    ['GET', '/api/messages?topic=T1&beginMs=-1'],
    ['GET', '/api/topics/T1/messages/abc/0/delivery'],
    ['GET', '/api/topics/T1/messages/0/-1/delivery'],
    ['GET', '/api/topics/T1/messages/0/0/delivery?broker=bad%20name'],
    ['GET', '/api/topics/T1/messages/0/0/delivery?other=1'],
    ['GET', '/api/groups/bad%20group'],
    ['GET', '/api/topics?type=BOGUS'],
    ['POST', '/api/brokers/broker-a/0/config', { key: 'bad key', value: '1' }],
    ['POST', '/api/brokers/broker-a/0/config', { key: 'fileReservedTime' }],
    ['POST', '/api/brokers/broker-a/0/config', { key: 'fileReservedTime', value: '1', other: 1 }],
    ['POST', '/api/brokers/broker-a/x/config', { key: 'fileReservedTime', value: '1' }],
    ['POST', '/api/groups', {}],
    ['POST', '/api/groups', { group: 'bad group' }],
    ['POST', '/api/groups', { group: 'G1', maxDeliveryAttempts: 0 }],
    ['POST', '/api/groups', { group: 'G1', ordering: 'sideways' }],
    ['POST', '/api/groups', { group: 'G1', retryBackoffMs: [-1] }],
    ['POST', '/api/groups', { group: 'G1', other: 1 }],
    ['DELETE', '/api/groups/G1'],
    ['DELETE', '/api/groups/G1?confirm=G2'],
    ['POST', '/api/topics/%25DLQ%25G1/resend', { offsets: [0], to: 'bad topic' }],
  ];
  for (const [method, url, payload] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
    assert.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}: ${res.body}`);
    assert.equal(code(res), 'BAD_INPUT', `${method} ${url}`);
    assert.ok((res.json() as { message: string }).message.length > 0);
  }
  const login400 = await app.inject({ method: 'POST', url: '/api/login', payload: { user: 'a', role: 'admin' } });
  assert.equal(code(login400), 'BAD_INPUT');
  const notJson = await app.inject({ method: 'POST', url: '/api/topics', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"topic":' });
  assert.equal(notJson.statusCode, 400);
});

test('sessions expire when idle, the oldest go past the limit; a users file with a mistake names it', () => {
  let now = 0;
  const store = new SessionStore({ idleTimeoutMs: 1_000, maxSessions: 2 }, () => now);
  const a = store.create('a', 'admin');
  now = 999;
  assert.equal(store.get(a.id)?.user, 'a');
  now = 2_000;
  assert.equal(store.get(a.id), undefined);
  const b = store.create('b', 'viewer');
  store.create('c', 'viewer');
  store.create('d', 'viewer');
  assert.equal(store.get(b.id), undefined);
  assert.equal(store.size, 2);
  assert.throws(() => parseUsers('users:\n  - name: bob\n    role: root\n    password: x\n'), /users\[0\] \(bob\): role must be admin or viewer/);
  assert.throws(() => parseUsers('users:\n  - name: bob\n    role: admin\n    password: plain\n'), /password must be a hash/);
  assert.throws(() => parseUsers('nobody: here\n'), /needs a "users:" list/);
});
