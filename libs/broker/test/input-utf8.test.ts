import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type DecodedMessage, OrbitError, type OrbitError as OrbitErrorType, undecodableRequest, wireCodecs, type v2 } from '@orbitmq/protocol';
import { decodeIncoming } from '../src/send/incoming';
import { messagingService } from '../src/messaging-service';
import { TelemetryHandler } from '../src/clients/telemetry-handler';
import { DEFAULT_DELAY_LEVELS, parseDelayLevels } from '../src/schedule/delay-policy';

const LIMITS = { maxMessageSize: 1024, maxPropertiesBytes: 1024, delay: { levelsMs: parseDelayLevels(DEFAULT_DELAY_LEVELS), maxDelayMs: 86_400_000 } };

const message: v2.Message = {
  topic: { resourceNamespace: 'PH_nspce', name: 'PH_topic' },
  userProperties: { PH_pkey_: 'v', k1: 'PH_pval_' },
  systemProperties: {
    tag: 'PH_tag__',
    keys: ['PH_key0_'],
    messageId: 'PH_msgid',
    messageType: 'FIFO',
    messageGroup: 'PH_group',
    bornHost: 'PH_born_',
    traceContext: 'PH_trace',
    bodyDigest: { type: 'CRC32', checksum: 'PH_dgst_' },
  },
  body: Buffer.from('x'),
};
const bytes = wireCodecs.encodeSendRequest({ messages: [message] });

/** The message as the broker decodes it, with `placeholder`'s first byte made 0xff. */
function withInvalid(placeholder: string): DecodedMessage {
  const bad = Buffer.from(bytes);
  bad[bad.indexOf(placeholder)] = 0xff;
  return wireCodecs.decodeSendRequest(bad).messages[0] as DecodedMessage;
}

test('decodeIncoming refuses invalid UTF-8 with the field code, naming the field', () => {
  assert.equal(decodeIncoming(wireCodecs.decodeSendRequest(bytes).messages[0] as DecodedMessage, LIMITS, Date.now()).append.tag, 'PH_tag__');
  const cases: [string, string, string][] = [
    ['PH_topic', 'ILLEGAL_TOPIC', 'topic is not valid UTF-8'],
    ['PH_nspce', 'ILLEGAL_TOPIC', 'topic namespace is not valid UTF-8'],
    ['PH_tag__', 'ILLEGAL_MESSAGE_TAG', 'tag is not valid UTF-8'],
    ['PH_key0_', 'ILLEGAL_MESSAGE_KEY', 'a key is not valid UTF-8'],
    ['PH_msgid', 'ILLEGAL_MESSAGE_ID', 'message id is not valid UTF-8'],
    ['PH_group', 'ILLEGAL_MESSAGE_GROUP', 'message group is not valid UTF-8'],
    ['PH_pkey_', 'ILLEGAL_MESSAGE_PROPERTY_KEY', 'a user property key is not valid UTF-8'],
    ['PH_pval_', 'ILLEGAL_MESSAGE_PROPERTY_KEY', 'a user property value is not valid UTF-8'],
    ['PH_born_', 'BAD_REQUEST', 'born host is not valid UTF-8'],
    ['PH_trace', 'BAD_REQUEST', 'trace context is not valid UTF-8'],
    ['PH_dgst_', 'BAD_REQUEST', 'body digest is not valid UTF-8'],
  ];
  for (const [placeholder, code, text] of cases) {
    assert.throws(
      () => decodeIncoming(withInvalid(placeholder), LIMITS, Date.now()),
      (e: OrbitErrorType) => e.code === code && e.message === text,
      placeholder,
    );
  }
});

test('decodeIncoming: the UTF-8 refusal comes before every other check', () => {
  const m = withInvalid('PH_tag__');
  m.body = Buffer.alloc(LIMITS.maxMessageSize + 1); // too large as well: still the tag's code
  assert.throws(
    () => decodeIncoming(m, LIMITS, Date.now()),
    (e: OrbitErrorType) => e.code === 'ILLEGAL_MESSAGE_TAG',
  );
});

test('decodeIncoming refuses a user property named __proto__ (it could not be kept through a copy)', () => {
  const m = wireCodecs.decodeSendRequest(bytes).messages[0] as DecodedMessage;
  Object.defineProperty(m.userProperties, '__proto__', { value: 'x', enumerable: true, writable: true, configurable: true });
  assert.throws(
    () => decodeIncoming(m, LIMITS, Date.now()),
    (e: OrbitErrorType) => e.code === 'ILLEGAL_MESSAGE_PROPERTY_KEY',
  );
});

/** The handlers with no parts: a stand-in request must be answered before any part is touched. */
const handlers = messagingService({ events: { emit: () => true } } as never) as unknown as Record<string, (...args: unknown[]) => void>;
const standIn = undecodableRequest(new OrbitError('ILLEGAL_CONSUMER_GROUP', 'AckMessageRequest.group.name is not valid UTF-8'));

test('a unary request refused while decoding is answered with its Status in an OK response', async () => {
  for (const method of ['AckMessage', 'QueryRoute', 'Heartbeat', 'ChangeInvisibleDuration', 'QueryOffset', 'EndTransaction', 'NotifyClientTermination']) {
    const [err, res] = await new Promise<[unknown, { status: v2.Status }]>((resolve) =>
      handlers[method]!({ request: standIn, metadata: { get: () => ['client-1'] } }, (e: unknown, r: { status: v2.Status }) => resolve([e, r])),
    );
    assert.equal(err, null, method);
    assert.deepEqual(
      { code: res.status.code, message: res.status.message },
      { code: 40003, message: 'AckMessageRequest.group.name is not valid UTF-8' },
      method,
    );
  }
});

test('a streamed request refused while decoding gets one status frame, then the end', () => {
  for (const method of ['ReceiveMessage', 'PullMessage']) {
    const frames: unknown[] = [];
    let ended = false;
    handlers[method]!({ request: standIn, write: (f: unknown) => frames.push(f), end: () => (ended = true), once: () => undefined });
    assert.equal(frames.length, 1, method);
    assert.equal((frames[0] as { status: v2.Status }).status.code, 40003, method);
    assert.ok(ended, method);
  }
});

test('a telemetry command refused while decoding is answered with its Status; the stream stays open', async () => {
  const listeners: Record<string, (arg?: unknown) => void> = {};
  const frames: { status?: v2.Status }[] = [];
  let ended = false;
  const call = {
    metadata: { get: () => ['client-1'] },
    getPeer: () => 'peer',
    on: (event: string, fn: (arg?: unknown) => void) => (listeners[event] = fn),
    write: (f: { status?: v2.Status }) => frames.push(f),
    end: () => (ended = true),
  };
  const clients = { touch: () => ({}) };
  new TelemetryHandler(clients as never, {} as never, { maxMessageSize: 1, receiveBatchSize: 1, longPollingTimeoutMs: 1 }, () => undefined).handle(
    call as never,
  );
  listeners.data?.(undecodableRequest(new OrbitError('ILLEGAL_TOPIC', 'TelemetryCommand.settings.publishing.topics[0].name is not valid UTF-8')));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(frames.length, 1);
  assert.equal(frames[0]?.status?.code, 40002);
  assert.equal(frames[0]?.status?.message, 'TelemetryCommand.settings.publishing.topics[0].name is not valid UTF-8');
  assert.equal(ended, false);
});
