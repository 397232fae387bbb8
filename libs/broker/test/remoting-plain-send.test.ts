/**
 * remoting/plain-send: the direct mapping of a plain 4.x message must give what the general
 * mapping (fromRemotingMessage, then decodeIncoming) gives: the same IncomingMessage and record
 * bytes, or the same refusal. Properties are generated from names of every kind (mapped, user,
 * reserved, 4.x system, delay), so the test also shows which messages take the general way.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { OrbitError } from '@orbitmq/protocol';
import { encodeProperties as encodeClassic } from '@orbitmq/remoting';
import { type IncomingMessage, decodeIncoming } from '../src/send';
import { fromRemotingMessage } from '../src/remoting';
import { plainIncoming } from '../src/remoting/plain-send';

const LIMITS = { maxMessageSize: 64, maxPropertiesBytes: 40, delay: { levelsMs: [1000, 5000], maxDelayMs: 86_400_000 } };
const BORN_MS = 1_700_000_000_123;
/** Mapped, user, reserved-but-user (SHARDING_KEY), 4.x system and delay names. */
const NAMES = ['TAGS', 'KEYS', 'UNIQ_KEY', 'WAIT', 'color', 'size', '7', 'SHARDING_KEY', 'PGROUP', 'DELAY', 'TRAN_MSG', 'TIMER_DELIVER_MS', '__proto__'];
const PLAIN_NAMES = new Set(['TAGS', 'KEYS', 'UNIQ_KEY', 'WAIT', 'color', 'size', '7', 'SHARDING_KEY']);
/** Values, some of them refused somewhere (blank tag, '|' in a tag, control characters, long). */
const VALUES = ['a', 'TagA', 'k1 k2', '  ', 'x|y', 'ID-1', 'tab\there', 'v'.repeat(40), 'true', '2'];

type Outcome = { ok: IncomingMessage } | { refused: string };

function outcome(f: () => IncomingMessage | undefined): Outcome | undefined {
  try {
    const m = f();
    return m && { ok: m };
  } catch (e) {
    if (!(e instanceof OrbitError)) throw e;
    return { refused: `${e.code}: ${e.message}` };
  }
}

const entries = fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...VALUES)), { maxLength: 6 });
const bodies = fc.constantFrom(Buffer.from('body'), Buffer.alloc(65, 1));

test('a plain 4.x message maps directly to what the general mapping gives, and only plain ones do', () => {
  fc.assert(
    fc.property(entries, bodies, fc.constantFrom(0, 7), fc.constantFrom('', '10.1.2.3:5555'), (props, body, flag, bornHost) => {
      const text = encodeClassic(new Map(props));
      const raw = Buffer.from(text, 'utf8');
      const nowMs = Date.now();
      const general = outcome(() =>
        decodeIncoming(fromRemotingMessage({ topic: 'T', body, flag, sysFlag: 0, bornTimestampMs: BORN_MS, properties: text, bornHost }, 64), LIMITS, nowMs),
      ) as Outcome;
      const plain = outcome(() => plainIncoming(raw, body, flag, { topic: 'T', bornTimestampMs: BORN_MS, bornHost, limits: LIMITS }));
      const isPlain = props.every(([name]) => PLAIN_NAMES.has(name));
      assert.equal(plain !== undefined, isPlain, `the direct mapping takes exactly the plain messages: ${JSON.stringify(props)}`);
      if (!plain) return;
      if ('refused' in general || 'refused' in plain) {
        assert.deepEqual(plain, general);
        return;
      }
      const [a, b] = [plain.ok, general.ok];
      if (!props.some(([name]) => name === 'UNIQ_KEY')) {
        // Both generate an id: compare its shape, then the rest with one id.
        assert.match(a.messageId, /^[0-9A-F]{32}$/);
        b.messageId = b.append.messageId = a.messageId;
        a.append.messageId = a.messageId;
      }
      assert.deepEqual(a, b);
      assert.ok((a.append.properties as Buffer).equals(b.append.properties as Buffer), 'the same record properties, byte for byte');
    }),
    { numRuns: 2_000 },
  );
});

test('messages without user properties or flag share one encoded properties buffer per request', () => {
  const ctx = { topic: 'T', bornTimestampMs: BORN_MS, bornHost: '10.1.2.3:5555', limits: LIMITS };
  const m1 = plainIncoming(Buffer.from(encodeClassic({ UNIQ_KEY: 'A1', TAGS: 'x' })), Buffer.from('1'), 0, ctx);
  const m2 = plainIncoming(Buffer.from(encodeClassic({ UNIQ_KEY: 'A2' })), Buffer.from('2'), 0, ctx);
  const m3 = plainIncoming(Buffer.from(encodeClassic({ UNIQ_KEY: 'A3', color: 'red' })), Buffer.from('3'), 0, ctx);
  assert.ok(m1 && m2 && m3);
  assert.equal(m1.append.properties, m2.append.properties, 'one buffer for the request');
  assert.notEqual(m3.append.properties, m1.append.properties, 'user properties: its own');
  assert.equal(m2.messageId, 'A2');
});
