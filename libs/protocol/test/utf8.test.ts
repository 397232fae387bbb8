import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import {
  type DecodedMessage,
  type InvalidUtf8Field,
  ProtoWriter,
  type StringPlan,
  compileStringPlans,
  fastServerDefinition,
  findInvalidUtf8,
  rocketmqV2,
  undecodableError,
  wireCodecs,
  type v2,
} from '../src';

type Codec = { requestSerialize(v: unknown): Buffer; requestDeserialize(b: Buffer): unknown };
type LoaderMethod = Codec & { requestType: { type: { name: string }; fileDescriptorProtos: Buffer[] } };
const generic = rocketmqV2().MessagingService.service as unknown as Record<string, LoaderMethod>;
const server = fastServerDefinition(generic as never) as unknown as Record<string, Codec>;
const plans = compileStringPlans(generic.QueryRoute!.requestType.fileDescriptorProtos);
const planOf = (name: string) => plans.get(`apache.rocketmq.v2.${name}`) as StringPlan;

/** Byte sequences that are not UTF-8: bad lead, truncated, overlong, surrogate, beyond U+10FFFF, stray continuation. */
const INVALID = ['ff', 'c341', 'c0af', 'eda080', 'f4908080', '80', 'e28241', 'f09f98'].map((h) => Buffer.from(h, 'hex'));

/** Overwrites the first occurrence of `placeholder` (ASCII, unique) with `bytes`, keeping the length. */
function patch(buf: Buffer, placeholder: string, bytes: Buffer): Buffer {
  const out = Buffer.from(buf);
  const at = out.indexOf(placeholder);
  assert.ok(at >= 0 && bytes.length <= placeholder.length, `placeholder ${placeholder}`);
  bytes.copy(out, at);
  return out;
}

/** Every string field of a Message, each with its own placeholder, and the marker the codec must set. */
const FIELDS: [string, InvalidUtf8Field, string][] = [
  ['PH_topic', 'topic', 'messages[0].topic.name'],
  ['PH_nspce', 'resourceNamespace', 'messages[0].topic.resource_namespace'],
  ['PH_pkey_', 'userPropertyKey', 'messages[0].user_properties.<key>'],
  ['PH_pval_', 'userPropertyValue', 'messages[0].user_properties["k1"]'],
  ['PH_tag__', 'tag', 'messages[0].system_properties.tag'],
  ['PH_key0_', 'keys', 'messages[0].system_properties.keys[0]'],
  ['PH_key1_', 'keys', 'messages[0].system_properties.keys[1]'],
  ['PH_msgid', 'messageId', 'messages[0].system_properties.message_id'],
  ['PH_dgst_', 'bodyDigest', 'messages[0].system_properties.body_digest.checksum'],
  ['PH_born_', 'bornHost', 'messages[0].system_properties.born_host'],
  ['PH_store', 'storeHost', 'messages[0].system_properties.store_host'],
  ['PH_rcpt_', 'receiptHandle', 'messages[0].system_properties.receipt_handle'],
  ['PH_group', 'messageGroup', 'messages[0].system_properties.message_group'],
  ['PH_trace', 'traceContext', 'messages[0].system_properties.trace_context'],
  ['PH_dlqt_', 'deadLetterQueue', 'messages[0].system_properties.dead_letter_queue.topic'],
  ['PH_dlqm_', 'deadLetterQueue', 'messages[0].system_properties.dead_letter_queue.message_id'],
  ['PH_lite_', 'liteTopic', 'messages[0].system_properties.lite_topic'],
];

const placeholders: v2.Message = {
  topic: { resourceNamespace: 'PH_nspce', name: 'PH_topic' },
  userProperties: { PH_pkey_: 'v', k1: 'PH_pval_' },
  systemProperties: {
    tag: 'PH_tag__',
    keys: ['PH_key0_', 'PH_key1_'],
    messageId: 'PH_msgid',
    bodyDigest: { type: 'CRC32', checksum: 'PH_dgst_' },
    bodyEncoding: 'IDENTITY',
    messageType: 'FIFO',
    bornTimestamp: { seconds: 1, nanos: 2 },
    bornHost: 'PH_born_',
    storeHost: 'PH_store',
    receiptHandle: 'PH_rcpt_',
    messageGroup: 'PH_group',
    traceContext: 'PH_trace',
    deadLetterQueue: { topic: 'PH_dlqt_', messageId: 'PH_dlqm_' },
    liteTopic: 'PH_lite_',
  },
  body: Buffer.from([0xff, 0xfe, 0x80]), // bytes, not a string: never checked
};
// The placeholders sit in the first message; the second, without any, is decoded after it.
const sendBytes = wireCodecs.encodeSendRequest({ messages: [placeholders, { topic: { name: 'other' } }] });

test('SendMessage: valid strings carry no marker, and decode exactly as protobufjs', () => {
  const ours = wireCodecs.decodeSendRequest(sendBytes);
  assert.ok(ours.messages.every((m) => !('invalidUtf8' in m)));
  assert.deepStrictEqual(ours, generic.SendMessage!.requestDeserialize(sendBytes));
});

test('SendMessage: each string field with each invalid sequence is marked with that field, as the walker finds it', () => {
  const plan = planOf('SendMessageRequest');
  for (const [placeholder, marker, path] of FIELDS) {
    for (const bytes of INVALID) {
      const bad = patch(sendBytes, placeholder, bytes);
      const [first, second] = wireCodecs.decodeSendRequest(bad).messages as DecodedMessage[];
      assert.equal(first?.invalidUtf8, marker, `${marker} ${bytes.toString('hex')}`);
      assert.equal(second?.invalidUtf8, undefined, 'the marker belongs to its message only');
      const finding = findInvalidUtf8(bad, plan);
      assert.equal(finding?.path, path, `${marker} ${bytes.toString('hex')}`);
    }
  }
});

test('SendMessage: the first invalid field is named when several are', () => {
  const bad = patch(patch(sendBytes, 'PH_msgid', INVALID[0] as Buffer), 'PH_tag__', INVALID[3] as Buffer);
  assert.equal((wireCodecs.decodeSendRequest(bad).messages[0] as DecodedMessage).invalidUtf8, 'tag');
});

test('valid multi-byte UTF-8, 4-byte emoji and a real U+FFFD pass unchanged, byte for byte', () => {
  const text = ['ключ', '注文-東京', 'a😀b', '🎉🚀', '\ufffd', '\ufeffbom', 'nul\u0000', 'e\u0301', '𝄞'];
  const m: v2.Message = {
    topic: { name: 'T😀' },
    userProperties: Object.fromEntries(text.map((t, i) => [`${t}${i}`, t])),
    systemProperties: { tag: '标签😀', keys: text, messageId: 'id', messageGroup: '\ufffd😀', traceContext: '𝄞', bornHost: 'hôte' },
    body: Buffer.alloc(0),
  };
  const bytes = wireCodecs.encodeSendRequest({ messages: [m] });
  const decoded = wireCodecs.decodeSendRequest(bytes).messages[0] as DecodedMessage;
  assert.equal(decoded.invalidUtf8, undefined);
  assert.equal(findInvalidUtf8(bytes, planOf('SendMessageRequest')), undefined);
  assertSameStrings(decoded, m);
  assert.equal(Buffer.from(decoded.systemProperties?.tag ?? '').toString('hex'), 'e6a087e7adbef09f9880', '标签😀, byte for byte');
});

test('a user property named __proto__ is kept as an own property, not lost to the prototype setter', () => {
  const props: Record<string, string> = {};
  Object.defineProperty(props, '__proto__', { value: 'x', enumerable: true, writable: true, configurable: true });
  const decoded = wireCodecs.decodeSendRequest(wireCodecs.encodeSendRequest({ messages: [{ userProperties: props }] })).messages[0] as DecodedMessage;
  assert.ok(Object.prototype.hasOwnProperty.call(decoded.userProperties, '__proto__'));
  assert.deepStrictEqual(Object.entries(decoded.userProperties), [['__proto__', 'x']]);
});

/** The decoded strings are the sent ones (so their UTF-8 bytes are too: both are well-formed). */
function assertSameStrings(decoded: DecodedMessage, sent: v2.Message): void {
  const sp = decoded.systemProperties;
  const s = sent.systemProperties ?? {};
  assert.equal(decoded.topic?.name, sent.topic?.name);
  assert.deepStrictEqual(decoded.userProperties, sent.userProperties ?? {});
  assert.equal(sp?.tag, s.tag);
  assert.deepStrictEqual(sp?.keys, s.keys ?? []);
  for (const k of ['messageId', 'messageGroup', 'traceContext', 'bornHost'] as const) assert.equal(sp?.[k] || undefined, s[k] || undefined, k);
}

/** A request of `plan`'s type with a distinct placeholder in every string field (to `depth`), and each one's path. */
function fill(plan: StringPlan, depth: number, prefix: string, out: Map<string, string>): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const f of plan.fields) {
    if (!f) continue;
    const camel = f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const at = `${prefix}${f.name}${f.repeated && !f.sub?.mapEntry ? '[0]' : ''}`;
    const ph = () => `Q${String(out.size).padStart(5, '0')}`;
    if (f.sub?.mapEntry) {
      const key = ph();
      out.set(key, `${prefix}${f.name}.<key>`);
      const value = ph();
      out.set(value, `${prefix}${f.name}[${JSON.stringify(key)}]`);
      obj[camel] = { [key]: value };
    } else if (!f.sub) {
      const value = ph();
      out.set(value, at);
      obj[camel] = f.repeated ? [value] : value;
    } else if (depth > 0) {
      const inner = fill(f.sub, depth - 1, `${at}.`, out);
      obj[camel] = f.repeated ? [inner] : inner;
    }
  }
  return obj;
}

test('every MessagingService request but SendMessage: each string field, nested, repeated or map, is found and named', () => {
  let checked = 0;
  for (const [method, def] of Object.entries(generic)) {
    if (method === 'SendMessage') continue;
    const typeName = def.requestType.type.name;
    const plan = planOf(typeName);
    assert.ok(plan, `${typeName} has a plan`);
    assert.notEqual(server[method]!.requestDeserialize, def.requestDeserialize, `${method} is checked`);
    const where = new Map<string, string>();
    const request = fill(plan, 6, '', where);
    const bytes = def.requestSerialize(request);
    assert.deepStrictEqual(server[method]!.requestDeserialize(bytes), def.requestDeserialize(bytes), `${method}: valid passes unchanged`);
    for (const [placeholder, path] of where) {
      if (bytes.indexOf(placeholder) < 0) continue; // a oneof member protobufjs did not write
      const refused = undecodableError(server[method]!.requestDeserialize(patch(bytes, placeholder, INVALID[checked % INVALID.length] as Buffer)));
      assert.equal(refused?.message, `${typeName}.${path} is not valid UTF-8`);
      checked++;
    }
  }
  assert.ok(checked > 100, `${checked} string fields checked`);
});

test('the code of a field path', () => {
  const cases: [string, string, unknown][] = [
    ['ReceiveMessage', 'BAD_GROUP', { group: { name: 'BAD_GROUP' }, messageQueue: { topic: { name: 'T' } } }],
    ['AckMessage', 'BAD_RH', { group: { name: 'G' }, topic: { name: 'T' }, entries: [{ messageId: 'm', receiptHandle: 'BAD_RH' }] }],
    ['AckMessage', 'BAD_TOPIC', { group: { name: 'G' }, topic: { name: 'BAD_TOPIC' } }],
    ['QueryRoute', 'BAD_NS', { topic: { resourceNamespace: 'BAD_NS', name: 'T' } }],
    ['EndTransaction', 'BAD_TX', { topic: { name: 'T' }, messageId: 'm', transactionId: 'BAD_TX' }],
    ['EndTransaction', 'BAD_MID', { topic: { name: 'T' }, messageId: 'BAD_MID' }],
    ['ReceiveMessage', 'BAD_EXPR', { group: { name: 'G' }, filterExpression: { type: 'TAG', expression: 'BAD_EXPR' } }],
    ['QueryRoute', 'BAD_HOST', { topic: { name: 'T' }, endpoints: { addresses: [{ host: 'BAD_HOST', port: 1 }] } }],
    ['Telemetry', 'BAD_SUB', { settings: { subscription: { group: { name: 'G' }, subscriptions: [{ topic: { name: 'BAD_SUB' } }] } } }],
  ];
  const expected = [
    'ILLEGAL_CONSUMER_GROUP',
    'INVALID_RECEIPT_HANDLE',
    'ILLEGAL_TOPIC',
    'ILLEGAL_TOPIC',
    'INVALID_TRANSACTION_ID',
    'ILLEGAL_MESSAGE_ID',
    'ILLEGAL_FILTER_EXPRESSION',
    'BAD_REQUEST',
    'ILLEGAL_TOPIC',
  ];
  cases.forEach(([method, placeholder, request], i) => {
    const bytes = patch(generic[method]!.requestSerialize(request), placeholder, Buffer.from('ff', 'hex'));
    assert.equal(undecodableError(server[method]!.requestDeserialize(bytes))?.code, expected[i], `${method} ${placeholder}`);
  });
  const refused = undecodableError(
    server.ReceiveMessage!.requestDeserialize(patch(generic.ReceiveMessage!.requestSerialize(cases[0]![2]), 'BAD', Buffer.from('c3', 'hex'))),
  );
  assert.equal(refused?.message, 'ReceiveMessageRequest.group.name is not valid UTF-8');
});

test('bytes the walk cannot parse are left to protobufjs, which fails as before', () => {
  const good = generic.ReceiveMessage!.requestSerialize({ group: { name: 'G' }, messageQueue: { topic: { name: 'T' } } });
  for (const bad of [good.subarray(0, good.length - 1), Buffer.from('0aff', 'hex')]) {
    assert.throws(() => server.ReceiveMessage!.requestDeserialize(bad));
    assert.throws(() => generic.ReceiveMessage!.requestDeserialize(bad));
  }
});

/** A SendMessageRequest whose one message's tag is exactly `tag`'s bytes. */
function sendWithTagBytes(tag: Uint8Array): Buffer {
  const w = new ProtoWriter();
  const m = w.begin(1);
  const sp = w.begin(3);
  w.bytesField(1, tag);
  w.stringField(3, 'id');
  w.end(sp);
  w.end(m);
  return w.finish();
}

test('fuzz: the codec marks a tag exactly when isUtf8 refuses its bytes, as does the walker', () => {
  fc.assert(
    // An ASCII prefix of up to 90 bytes: the walker scans short strings in JS, hands long ones to isUtf8.
    fc.property(fc.string({ unit: 'binary-ascii', maxLength: 90 }), fc.uint8Array({ maxLength: 24 }), (prefix, suffix) => {
      const bytes = Buffer.concat([Buffer.from(prefix, 'latin1'), suffix]);
      const buf = sendWithTagBytes(bytes);
      const invalid = !isUtf8(bytes);
      assert.equal((wireCodecs.decodeSendRequest(buf).messages[0] as DecodedMessage).invalidUtf8, invalid ? 'tag' : undefined);
      assert.equal(findInvalidUtf8(buf, planOf('SendMessageRequest'))?.path, invalid ? 'messages[0].system_properties.tag' : undefined);
    }),
    { numRuns: 3_000 },
  );
});

test('fuzz: random valid strings are never flagged and round-trip byte-identical', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 12 });
  fc.assert(
    fc.property(text, text, fc.array(text, { maxLength: 3 }), fc.dictionary(text, text, { maxKeys: 3, noNullPrototype: true }), (topic, tag, keys, props) => {
      const m: v2.Message = {
        topic: { name: topic },
        userProperties: props,
        systemProperties: { tag, keys, messageId: tag, traceContext: topic },
        body: Buffer.alloc(1),
      };
      const bytes = wireCodecs.encodeSendRequest({ messages: [m] });
      const decoded = wireCodecs.decodeSendRequest(bytes).messages[0] as DecodedMessage;
      assert.equal(decoded.invalidUtf8, undefined);
      assertSameStrings(decoded, m);
      // Sent again as decoded: the same bytes again.
      const again = wireCodecs.encodeSendRequest({ messages: [decoded] });
      assert.equal(wireCodecs.encodeSendRequest(wireCodecs.decodeSendRequest(again)).toString('hex'), again.toString('hex'));
      const ack = generic.AckMessage!.requestSerialize({
        group: { name: topic },
        topic: { name: tag },
        entries: keys.map((k) => ({ messageId: k, receiptHandle: k })),
      });
      assert.equal(undecodableError(server.AckMessage!.requestDeserialize(ack)), undefined);
      assert.deepStrictEqual(server.AckMessage!.requestDeserialize(ack), generic.AckMessage!.requestDeserialize(ack));
    }),
    { numRuns: 500 },
  );
});
