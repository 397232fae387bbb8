/**
 * Invalid UTF-8 from a client is refused, never stored repaired (project issue #18, "Input"). The
 * official SDKs cannot send it, so requests are built here as bytes: encoded with placeholder
 * strings, then a placeholder's bytes overwritten with an invalid sequence, and sent through a
 * gRPC call whose serializer passes the bytes through.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { rocketmqV2, type v2 } from '@orbitmq/protocol';
import { CHANNEL_OPTIONS } from '@orbitmq/rpc';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, grpcAddress, stopAll } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';

type MethodDef = { path: string; requestSerialize(v: unknown): Buffer; responseDeserialize(b: Buffer): unknown };
const service = rocketmqV2().MessagingService.service as unknown as Record<string, MethodDef>;
const passThrough = (b: Buffer) => b;

let namesrv: AppProcess;
let endpoint: string;
let raw: RawV2Client;
let bytesClient: grpc.Client;
const clientId = `utf8-test@${process.pid}@${randomUUID()}`;

before(async () => {
  namesrv = await startNamesrv();
  endpoint = clientEndpoint(await startBroker(grpcAddress(namesrv)));
  raw = new RawV2Client(endpoint);
  bytesClient = new grpc.Client(endpoint, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
});

after(async () => {
  raw?.close();
  bytesClient?.close();
  await stopAll();
});

function md(): grpc.Metadata {
  const m = new grpc.Metadata();
  m.set('x-mq-client-id', clientId);
  m.set('x-mq-protocol', 'v2');
  m.set('x-mq-language', 'HTTP');
  return m;
}

/** `method` with a request given as bytes; the response decoded as any client decodes it. */
function unaryBytes<Res>(method: string, request: Buffer): Promise<Res> {
  const def = service[method] as MethodDef;
  return new Promise((resolve, reject) =>
    bytesClient.makeUnaryRequest(
      def.path,
      passThrough,
      (b: Buffer) => def.responseDeserialize(b) as Res,
      request,
      md(),
      { deadline: Date.now() + 10_000 },
      (e, r) => (e ? reject(e) : resolve(r as Res)),
    ),
  );
}

/** A server-streaming call with a request given as bytes: every response frame, raw. */
function streamBytes(method: string, request: Buffer, timeoutMs = 10_000): Promise<Buffer[]> {
  const def = service[method] as MethodDef;
  return new Promise((resolve, reject) => {
    const frames: Buffer[] = [];
    const call = bytesClient.makeServerStreamRequest(def.path, passThrough, passThrough, request, md(), { deadline: Date.now() + timeoutMs });
    call.on('data', (f: Buffer) => frames.push(f));
    call.on('end', () => resolve(frames));
    call.on('error', reject);
  });
}

/** `bytes` with the first occurrence of the ASCII `placeholder` starting with `invalid` instead (same length). */
function patch(bytes: Buffer, placeholder: string, invalid: Buffer): Buffer {
  const out = Buffer.from(bytes);
  const at = out.indexOf(placeholder);
  assert.ok(at >= 0 && invalid.length <= placeholder.length, placeholder);
  invalid.copy(out, at);
  return out;
}

const INVALID = ['ff', 'c328', 'eda080', 'f4908080', 'c0af'].map((h) => Buffer.from(h, 'hex'));

/** Messages stored in `topic`: the sum of its queues' end offsets. */
async function storedCount(topic: string): Promise<number> {
  const route = await raw.queryRoute(topic, endpoint);
  assert.equal(codeOf(route.status), 'OK');
  let sum = 0;
  for (const q of route.messageQueues) {
    const end = await raw.queryOffset(topic, q.id, 'END');
    assert.equal(codeOf(end.status), 'OK');
    sum += Number(end.offset);
  }
  return sum;
}

const receiveRequest = (group: string, topic: string, pollMs: number) => ({
  group: { name: group },
  messageQueue: { topic: { name: topic }, id: 0 },
  filterExpression: { type: 'TAG', expression: '*' },
  batchSize: 16,
  invisibleDuration: { seconds: 30, nanos: 0 },
  autoRenew: false,
  longPollingTimeout: { seconds: Math.floor(pollMs / 1000), nanos: (pollMs % 1000) * 1e6 },
});

test('invalid UTF-8 in any SendMessage field is refused with its code, and nothing is stored', async () => {
  const topic = `Utf8Topic${process.pid}`;
  const before = await storedCount(topic); // auto-creates the topic
  const m = message(topic, Buffer.from('body'), {
    tag: 'PHtag___',
    keys: ['ok-key', 'PHkey___'],
    messageId: 'PHmsgid_0123456789',
    messageGroup: 'PHgroup_',
    bornHost: 'PHborn__',
    traceContext: 'PHtrace_',
  });
  m.userProperties = { PHpkey__: 'v', k1: 'PHpval__' };
  const cases: [string, string][] = [
    [topic.slice(0, 8), 'ILLEGAL_TOPIC'],
    ['PHtag___', 'ILLEGAL_MESSAGE_TAG'],
    ['PHkey___', 'ILLEGAL_MESSAGE_KEY'],
    ['PHmsgid_', 'ILLEGAL_MESSAGE_ID'],
    ['PHgroup_', 'ILLEGAL_MESSAGE_GROUP'],
    ['PHpkey__', 'ILLEGAL_MESSAGE_PROPERTY_KEY'],
    ['PHpval__', 'ILLEGAL_MESSAGE_PROPERTY_KEY'],
    ['PHborn__', 'BAD_REQUEST'],
    ['PHtrace_', 'BAD_REQUEST'],
  ];
  // A valid message first in the same request: the whole request is refused, that one too.
  const bytes = service.SendMessage!.requestSerialize({ messages: [message(topic, Buffer.from('valid neighbour')), m] });
  for (const [i, [placeholder, code]] of cases.entries()) {
    for (const invalid of [INVALID[i % INVALID.length], INVALID[(i + 1) % INVALID.length]] as Buffer[]) {
      const res = await unaryBytes<v2.SendMessageResponse__Output>('SendMessage', patch(bytes, placeholder, invalid));
      assert.equal(codeOf(res.status), code, `${placeholder} ${invalid.toString('hex')}: ${res.status?.message}`);
      assert.match(res.status?.message ?? '', /is not valid UTF-8$/, placeholder);
      assert.ok(res.entries.every((e) => codeOf(e.status) === code));
    }
  }
  assert.equal(await storedCount(topic), before, 'nothing stored');
  // The same bytes without the patch are stored: the placeholders themselves were fine.
  const ok = await unaryBytes<v2.SendMessageResponse__Output>('SendMessage', bytes);
  assert.equal(codeOf(ok.status), 'OK', ok.status?.message ?? '');
  assert.equal(await storedCount(topic), before + 2);
});

test('valid UTF-8, multi-byte and 4-byte emoji included, arrives byte for byte through send and receive', async () => {
  const topic = `Utf8RoundTrip${process.pid}`;
  const group = `Utf8Group${process.pid}`;
  await storedCount(topic);
  assert.equal(codeOf((await raw.receive(group, topic, 1, 1_000, 0))[0]?.status), 'MESSAGE_NOT_FOUND'); // creates the group
  const strings = { tag: '标签😀', key1: 'ключ-🎉', key2: 'e\u0301\ufffd', propKey: 'préférence🚀', propValue: '注文 𝄞 \ufeff', trace: '00-ü-01' };
  const m = message(topic, Buffer.from('round trip'), { tag: strings.tag, keys: [strings.key1, strings.key2], traceContext: strings.trace });
  m.userProperties = { [strings.propKey]: strings.propValue };
  const sent = await raw.send([m]);
  assert.equal(codeOf(sent.status), 'OK', sent.status?.message ?? '');
  const frames = await streamBytes('ReceiveMessage', service.ReceiveMessage!.requestSerialize(receiveRequest(group, topic, 5_000)));
  const decoded = frames.map((f) => service.ReceiveMessage!.responseDeserialize(f) as v2.ReceiveMessageResponse__Output);
  const at = decoded.findIndex((f) => f.message);
  assert.ok(at >= 0, `a message frame among ${decoded.map((f) => f.content).join(',')}`);
  const got = decoded[at]?.message as v2.Message__Output;
  assert.equal(got.systemProperties?.tag, strings.tag);
  assert.deepEqual(got.systemProperties?.keys, [strings.key1, strings.key2]);
  assert.deepEqual(got.userProperties, { [strings.propKey]: strings.propValue });
  for (const s of Object.values(strings)) {
    assert.ok((frames[at] as Buffer).includes(Buffer.from(s, 'utf8')), `the frame holds ${s}'s exact bytes`);
  }
});

test('an invalid group name in ReceiveMessage or AckMessage is refused with ILLEGAL_CONSUMER_GROUP', async () => {
  const topic = `Utf8Consume${process.pid}`;
  await storedCount(topic);
  const receive = service.ReceiveMessage!.requestSerialize(receiveRequest('PHgroup_name', topic, 0));
  for (const invalid of INVALID) {
    const frames = (await streamBytes('ReceiveMessage', patch(receive, 'PHgroup_', invalid))).map(
      (f) => service.ReceiveMessage!.responseDeserialize(f) as v2.ReceiveMessageResponse__Output,
    );
    assert.equal(frames.length, 1, 'one status frame, then the end');
    assert.equal(codeOf(frames[0]?.status), 'ILLEGAL_CONSUMER_GROUP');
    assert.equal(frames[0]?.status?.message, 'ReceiveMessageRequest.group.name is not valid UTF-8');
  }
  const ack = service.AckMessage!.requestSerialize({
    group: { name: 'PHgroup_name' },
    topic: { name: topic },
    entries: [{ messageId: 'm', receiptHandle: 'rh' }],
  });
  for (const invalid of INVALID) {
    const res = await unaryBytes<v2.AckMessageResponse__Output>('AckMessage', patch(ack, 'PHgroup_', invalid));
    assert.equal(codeOf(res.status), 'ILLEGAL_CONSUMER_GROUP');
    assert.equal(res.status?.message, 'AckMessageRequest.group.name is not valid UTF-8');
  }
  const badHandle = service.AckMessage!.requestSerialize({
    group: { name: 'G' },
    topic: { name: topic },
    entries: [{ messageId: 'm', receiptHandle: 'PHhandle' }],
  });
  const res = await unaryBytes<v2.AckMessageResponse__Output>('AckMessage', patch(badHandle, 'PHhandle', Buffer.from('ff', 'hex')));
  assert.equal(codeOf(res.status), 'INVALID_RECEIPT_HANDLE');
  assert.equal(res.status?.message, 'AckMessageRequest.entries[0].receipt_handle is not valid UTF-8');
});

test('a Telemetry command with invalid UTF-8 gets a status; the stream stays open for the next one', async () => {
  const def = service.Telemetry as MethodDef;
  const call = bytesClient.makeBidiStreamRequest(def.path, passThrough, passThrough, md(), { deadline: Date.now() + 10_000 });
  const replies: v2.TelemetryCommand__Output[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    call.on('end', resolve);
    call.on('error', reject);
  });
  const next = () =>
    new Promise<v2.TelemetryCommand__Output>((resolve) =>
      call.once('data', (b: Buffer) => {
        const reply = def.responseDeserialize(b) as v2.TelemetryCommand__Output;
        replies.push(reply);
        resolve(reply);
      }),
    );
  const settings = (topic: string) => ({ settings: { clientType: 'PRODUCER', publishing: { topics: [{ name: 'ok' }, { name: topic }] } } });
  let reply = next();
  call.write(patch(service.Telemetry!.requestSerialize(settings('PHtopic_')), 'PHtopic_', Buffer.from('eda080', 'hex')));
  assert.equal(codeOf((await reply).status), 'ILLEGAL_TOPIC');
  assert.equal((await reply).status?.message, 'TelemetryCommand.settings.publishing.topics[1].name is not valid UTF-8');
  reply = next();
  call.write(service.Telemetry!.requestSerialize(settings('Utf8Telemetry')));
  assert.equal(codeOf((await reply).status), 'OK');
  assert.deepEqual(
    (await reply).settings?.publishing?.topics.map((t) => t.name),
    ['ok', 'Utf8Telemetry'],
  );
  call.end();
  await ended;
  assert.equal(replies.length, 2);
});
