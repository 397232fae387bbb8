import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OrbitError } from '@orbitmq/protocol';
import {
  AclFileError,
  addressMatcher,
  createAclGuard,
  grants,
  loadAclFile,
  parsePerm,
  parsePlainAcl,
  parseV2DateTime,
  Perm,
  remotingResources,
  v2Resources,
  watchAclFile,
} from '../src';

// The official clients' own signing code, not a copy of ours.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const officialV5 = require('rocketmq-client-nodejs/dist/util') as { sign(secret: string, dateTime: string): string; getRequestDateTime(): string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AliOnsChannel = require('ali-ons/lib/channel') as { prototype: { beforeRequest(this: unknown, command: unknown): void } };

const SAMPLE = `
globalWhiteRemoteAddresses:
  - 10.10.103.*
accounts:
  - accessKey: RocketMQ
    secretKey: 12345678
    whiteRemoteAddress:
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
    topicPerms:
      - topicA=DENY
      - topicB=PUB|SUB
      - topicC=SUB
    groupPerms:
      - groupA=DENY
      - groupB=PUB|SUB
  - accessKey: rocketmq2
    secretKey: 12345678
    whiteRemoteAddress: 192.168.1.*
    admin: true
`;

function codeOf(fn: () => void): string {
  try {
    fn();
    return 'OK';
  } catch (e) {
    assert.ok(e instanceof OrbitError, String(e));
    assert.doesNotMatch(e.message, /12345678/, 'a refusal never shows a secret');
    return `${e.code}: ${e.message}`;
  }
}

/** v5 metadata as the official client builds it (BaseClient.getRequestMetadata). */
function v5Metadata(accessKey: string, secret: string, dateTime = officialV5.getRequestDateTime()): { get(k: string): string[] } {
  const m = new Map<string, string>([
    ['x-mq-date-time', dateTime],
    ['authorization', `MQv2-HMAC-SHA1 Credential=${accessKey}, SignedHeaders=x-mq-date-time, Signature=${officialV5.sign(secret, dateTime)}`],
  ]);
  return { get: (k) => (m.has(k) ? [m.get(k) as string] : []) };
}

const NO_METADATA = { get: () => [] };

test('permissions parse as plain_acl.yml writes them and grant what RocketMQ grants', () => {
  assert.equal(parsePerm('PUB|SUB'), Perm.PUB | Perm.SUB);
  assert.equal(parsePerm('sub|pub'), Perm.PUB | Perm.SUB);
  assert.equal(parsePerm('READ'), undefined);
  assert.ok(grants(Perm.PUB, 'PUB') && !grants(Perm.PUB, 'SUB') && grants(Perm.SUB, 'ANY') && !grants(Perm.DENY, 'ANY'));
});

test('remote-address patterns: exact, *, lists, ranges, wildcards; bad ones refused', () => {
  assert.ok(addressMatcher('*')('1.2.3.4'));
  assert.ok(addressMatcher('192.168.0.{1,2}')('192.168.0.2') && !addressMatcher('192.168.0.{1,2}')('192.168.0.3'));
  assert.ok(addressMatcher('192.168.1.10-20')('192.168.1.15') && !addressMatcher('192.168.1.10-20')('192.168.1.21'));
  assert.ok(addressMatcher('192.168.*')('192.168.9.9') && !addressMatcher('192.168.*')('192.169.0.1'));
  assert.ok(addressMatcher('127.0.0.1')('::ffff:127.0.0.1'), 'an IPv4 peer on a dual-stack socket');
  assert.ok(addressMatcher('::1')('::1'));
  for (const bad of ['192.168.1.300', 'a.b.c.d', '1.2.3.4-5.6', '192.168.1.20-10'])
    assert.throws(() => addressMatcher(bad), /not a remote-address pattern/, bad);
});

test("RocketMQ's sample plain_acl.yml parses; mistakes are refused naming the account and field, never the secret", () => {
  const config = parsePlainAcl(SAMPLE);
  assert.equal(config.accounts.size, 2);
  const a = config.accounts.get('RocketMQ');
  assert.deepEqual([a?.secretKey, a?.admin, a?.defaultTopicPerm, a?.topicPerms.get('topicB')], ['12345678', false, Perm.DENY, Perm.PUB | Perm.SUB]);
  assert.ok(config.globalWhiteRemoteAddresses('10.10.103.7'));
  const bad: [string, RegExp][] = [
    ['accounts:\n  - accessKey: short\n    secretKey: 12345678\n', /accessKey must be at least 6/],
    ['accounts:\n  - accessKey: RocketMQ\n    secretKey: 12\n', /RocketMQ\): secretKey must be at least 6/],
    ['accounts:\n  - {accessKey: RocketMQ, secretKey: 12345678, topicPerms: [t=READ]}\n', /topicPerms t: 'READ' is not DENY/],
    ['accounts:\n  - {accessKey: RocketMQ, secretKey: 12345678}\n  - {accessKey: RocketMQ, secretKey: 87654321}\n', /listed twice/],
    ['accounts:\n  - {accessKey: RocketMQ, secretKey: 12345678, whiteRemoteAddress: 1.2.3.999}\n', /whiteRemoteAddress/],
    ['accounts: [', /not YAML/],
  ];
  for (const [text, message] of bad) {
    assert.throws(
      () => parsePlainAcl(text),
      (e: Error) => e instanceof AclFileError && message.test(e.message) && !/1234567|87654321/.test(e.message),
    );
  }
});

test('describe: the accounts as written, never a secret; a reload is described at once', () => {
  const guard = createAclGuard(parsePlainAcl(SAMPLE), { maxClockSkewMs: 60_000 });
  const d = guard.describe();
  assert.doesNotMatch(JSON.stringify(d), /12345678|secret/i);
  assert.deepEqual(d.globalWhiteRemoteAddresses, ['10.10.103.*']);
  assert.deepEqual(d.accounts[0], {
    accessKey: 'RocketMQ',
    admin: false,
    whiteRemoteAddress: [],
    defaultTopicPerm: 'DENY',
    defaultGroupPerm: 'SUB',
    topicPerms: [
      { resource: 'topicA', perm: 'DENY' },
      { resource: 'topicB', perm: 'PUB|SUB' },
      { resource: 'topicC', perm: 'SUB' },
    ],
    groupPerms: [
      { resource: 'groupA', perm: 'DENY' },
      { resource: 'groupB', perm: 'PUB|SUB' },
    ],
  });
  assert.deepEqual(d.accounts[1]?.whiteRemoteAddress, ['192.168.1.*']);
  guard.replace(parsePlainAcl('accounts:\n  - {accessKey: Another1, secretKey: abcdefgh, admin: true}\n'));
  assert.deepEqual(
    guard.describe().accounts.map((a) => [a.accessKey, a.admin]),
    [['Another1', true]],
  );
});

test('v5: the official client signature passes; none, a wrong secret, a skewed or replayed time are UNAUTHORIZED', () => {
  const guard = createAclGuard(parsePlainAcl(SAMPLE), { maxClockSkewMs: 300_000 });
  const send = { messages: [{ topic: { name: 'topicB' } }] };
  assert.equal(
    codeOf(() => guard.checkV2('SendMessage', send, v5Metadata('RocketMQ', '12345678'), 'ipv4:127.0.0.1:5000')),
    'OK',
  );
  assert.match(
    codeOf(() => guard.checkV2('SendMessage', send, NO_METADATA, 'ipv4:127.0.0.1:5000')),
    /^UNAUTHORIZED: .*no credentials/,
  );
  assert.match(
    codeOf(() => guard.checkV2('SendMessage', send, v5Metadata('RocketMQ', 'wrong-secret'), '127.0.0.1:5000')),
    /^UNAUTHORIZED: the signature does not match for accessKey RocketMQ/,
  );
  assert.match(
    codeOf(() => guard.checkV2('SendMessage', send, v5Metadata('Nobody1', '12345678'), '127.0.0.1:5000')),
    /^UNAUTHORIZED: no ACL account has accessKey Nobody1/,
  );
  const old = new Date(Date.now() - 600_000).toISOString().split('.')[0]?.replace(/[-:]/g, '') + 'Z';
  assert.ok(parseV2DateTime(old) !== undefined);
  assert.match(
    codeOf(() => guard.checkV2('SendMessage', send, v5Metadata('RocketMQ', '12345678', old), '127.0.0.1:5000')),
    /^UNAUTHORIZED: x-mq-date-time .* more than 300 s/,
  );
  assert.match(
    codeOf(() => guard.checkV2('SendMessage', send, v5Metadata('RocketMQ', '12345678', '2025-01-01'), '127.0.0.1:5000')),
    /not yyyyMMddTHHmmssZ/,
  );
});

test('IPv6 peers as grpc-js and remoting name them (address:port, no brackets) match white lists and are paced by IP', () => {
  const acl = parsePlainAcl(`
globalWhiteRemoteAddresses:
  - 2001:db8::7
accounts:
  - {accessKey: RocketMQ, secretKey: 12345678, defaultTopicPerm: PUB|SUB}
`);
  const now = 1_000_000;
  const guard = createAclGuard(acl, {
    maxClockSkewMs: 300_000,
    failureDelay: { windowMs: 10_000, freeFailures: 1, refusalsPerSecond: 1, maxHeld: 100 },
    nowMs: () => now,
  });
  const send = { messages: [{ topic: { name: 'T' } }] };
  // call.getPeer() of an IPv6 client: `${remoteAddress}:${remotePort}`
  assert.equal(
    codeOf(() => guard.checkV2('SendMessage', send, NO_METADATA, '2001:db8::7:41234')),
    'OK',
  );
  assert.equal(
    codeOf(() => guard.checkRemoting({ code: 10, extFields: { topic: 'T' } }, '2001:db8::7:41235')),
    'OK',
  );
  assert.match(
    codeOf(() => guard.checkV2('SendMessage', send, NO_METADATA, '2001:db8::8:41236')),
    /^UNAUTHORIZED/,
  );
  // Two connections of one IPv6 client share its free failures: the second refusal waits.
  let answered = 0;
  guard.answerRefusal(new OrbitError('UNAUTHORIZED', 'x'), '::1:50000', () => answered++);
  guard.answerRefusal(new OrbitError('UNAUTHORIZED', 'x'), '::1:50001', () => answered++);
  assert.equal(answered, 1, 'the second connection of ::1 is past the IP free failure');
  assert.equal(guard.stats().held, 1);
  assert.equal(guard.stats().trackedAddresses, 1);
});

test('v5 permissions: DENY refuses, SUB allows receiving only, defaults apply, retry topics follow the group, admins pass', () => {
  const guard = createAclGuard(parsePlainAcl(SAMPLE), { maxClockSkewMs: 300_000 });
  const md = v5Metadata('RocketMQ', '12345678');
  const check = (method: string, req: unknown) => codeOf(() => guard.checkV2(method, req, md, '127.0.0.1:1'));
  assert.match(check('SendMessage', { messages: [{ topic: { name: 'topicA' } }] }), /^FORBIDDEN: accessKey RocketMQ has no PUB permission on topic topicA/);
  assert.match(check('SendMessage', { messages: [{ topic: { name: 'topicC' } }] }), /^FORBIDDEN: .*PUB .* topicC/);
  assert.equal(check('ReceiveMessage', { messageQueue: { topic: { name: 'topicC' } }, group: { name: 'groupB' } }), 'OK');
  assert.match(
    check('ReceiveMessage', { messageQueue: { topic: { name: 'topicC' } }, group: { name: 'groupA' } }),
    /^FORBIDDEN: .*SUB permission on group groupA/,
  );
  assert.match(check('QueryRoute', { topic: { name: 'unlisted' } }), /^FORBIDDEN: .*PUB or SUB permission on topic unlisted/, 'defaultTopicPerm DENY');
  assert.equal(check('AckMessage', { topic: { name: '%RETRY%groupB' }, group: { name: 'groupB' } }), 'OK', "a retry topic is its group's");
  assert.equal(check('Heartbeat', { group: { name: 'unlistedGroup' } }), 'OK', 'defaultGroupPerm SUB');
  assert.match(
    codeOf(() => guard.checkAdmin(md, '127.0.0.1:1')),
    /^FORBIDDEN: accessKey RocketMQ is not an admin account/,
  );
  assert.equal(
    codeOf(() => guard.checkAdmin(v5Metadata('rocketmq2', '12345678'), '127.0.0.1:1')),
    'OK',
  );
  // White lists: global ones need no credentials; an account's own skips the signature.
  assert.equal(
    codeOf(() => guard.checkV2('SendMessage', { messages: [{ topic: { name: 'topicA' } }] }, NO_METADATA, 'ipv4:10.10.103.5:9')),
    'OK',
  );
  assert.equal(
    codeOf(() => guard.checkAdmin(v5Metadata('rocketmq2', 'not-the-secret'), '192.168.1.7:9')),
    'OK',
  );
  assert.deepEqual(
    v2Resources('PullMessage', { messageQueue: { topic: { name: 'T' } }, group: { name: 'G' } }).map((r) => `${r.kind}:${r.name}:${r.need}`),
    ['topic:T:SUB', 'group:G:SUB'],
  );
});

test('4.x remoting: the signature ali-ons computes passes; a wrong one and a forbidden topic are refused', () => {
  const guard = createAclGuard(parsePlainAcl(SAMPLE), { maxClockSkewMs: 300_000 });
  const command = {
    code: 310,
    customHeader: { a: 'PID_X', b: 'topicB', c: 'TBW102', d: 4, e: 0, f: 0, g: 1700000000000, h: 0, i: 'UNIQ_KEY\u0001AB\u0002', j: 0, k: false },
    extFields: {} as Record<string, string>,
    body: Buffer.from('hello'),
  };
  AliOnsChannel.prototype.beforeRequest.call({ accessKey: 'RocketMQ', secretKey: '12345678', onsChannel: 'ALIYUN' }, command);
  const extFields = { ...Object.fromEntries(Object.entries(command.customHeader).map(([k, v]) => [k, String(v)])), ...command.extFields };
  const request = { code: 310, extFields, body: command.body };
  assert.equal(
    codeOf(() => guard.checkRemoting(request, '127.0.0.1:40000')),
    'OK',
  );
  assert.match(
    codeOf(() => guard.checkRemoting({ ...request, body: Buffer.from('tampered') }, '127.0.0.1:40000')),
    /^UNAUTHORIZED: the signature does not match/,
  );
  assert.match(
    codeOf(() => guard.checkRemoting({ ...request, extFields: { ...extFields, b: 'topicA' } }, '127.0.0.1:40000')),
    /^UNAUTHORIZED/,
    'the topic is signed too',
  );
  assert.match(
    codeOf(() => guard.checkRemoting({ code: 310, extFields: { b: 'topicB' } }, '127.0.0.1:40000')),
    /^UNAUTHORIZED: .*no credentials/,
  );
  const heartbeat = Buffer.from(JSON.stringify({ consumerDataSet: [{ groupName: 'groupA', subscriptionDataSet: [{ topic: 'topicC' }] }] }));
  assert.deepEqual(
    remotingResources({ code: 34, extFields: {}, body: heartbeat }).map((r) => `${r.kind}:${r.name}`),
    ['group:groupA', 'topic:topicC'],
  );
});

test('the file reloads when edited; a broken edit keeps the accounts in force and is reported', { timeout: 20_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orbitmq-acl-'));
  const file = path.join(dir, 'plain_acl.yml');
  fs.writeFileSync(file, SAMPLE);
  let config = loadAclFile(file);
  const seen: string[] = [];
  const stop = watchAclFile(file, (c) => (config = c), { reloaded: (n) => seen.push(`reloaded ${n}`), rejected: (m) => seen.push(`rejected ${m}`) }, 20);
  try {
    // Written aside and renamed in, as editors save: a poll never sees a half-written file.
    const save = (text: string) => {
      fs.writeFileSync(`${file}.tmp`, text);
      fs.renameSync(`${file}.tmp`, file);
    };
    save('accounts:\n  - {accessKey: Another1, secretKey: abcdefgh, admin: true}\n');
    await until(() => seen.length >= 1);
    assert.deepEqual(seen, ['reloaded 1']);
    assert.deepEqual([...config.accounts.keys()], ['Another1']);
    save('accounts: [ {accessKey: x');
    await until(() => seen.length >= 2);
    assert.match(seen[1] as string, /^rejected .*plain_acl.yml: not YAML/);
    assert.deepEqual([...config.accounts.keys()], ['Another1'], 'the last good file stays in force');
  } finally {
    stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => loadAclFile(file), /cannot read .*ENOENT/);
});

/** Polls until cond holds; fails (rather than polling on past the test's timeout) after 15 s. */
async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!cond()) {
    assert.ok(Date.now() < deadline, 'condition not met in 15 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}
