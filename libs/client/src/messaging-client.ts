import { v2Signature } from '@orbitmq/acl';
import * as grpc from '@grpc/grpc-js';
import { OrbitError, fastClientDefinition, rocketmqV2, type v2 } from '@orbitmq/protocol';
import { CHANNEL_OPTIONS } from '@orbitmq/rpc';
import { nextMessageId } from './message-id';

/** Most messages one SendMessage request carries (the broker's limit). */
export const MAX_MESSAGES_PER_SEND = 1_024;

export interface OutgoingMessage {
  topic: string;
  body: Buffer;
  tag?: string;
  keys?: string[];
  properties?: Record<string, string>;
  /** Makes it a DELAY message. */
  deliveryTimestampMs?: number;
  /** Makes it a FIFO message. */
  messageGroup?: string;
  messageId?: string;
}

export interface SendResult {
  messageId: string;
  /** The stable error code when this message was refused, else undefined. */
  error?: string;
  queueOffset: number;
}

export interface ReceivedMessage {
  topic: string;
  messageId: string;
  body: Buffer;
  tag: string;
  keys: string[];
  properties: Record<string, string>;
  receiptHandle: string;
  queueId: number;
  queueOffset: number;
  deliveryAttempt: number;
  bornTimestampMs: number;
  storeTimestampMs: number;
  deliveryTimestampMs?: number;
}

export interface ReceiveRequest {
  group: string;
  topic: string;
  batchSize: number;
  invisibleMs: number;
  longPollMs: number;
  tags?: string;
  /** A SQL92 expression instead of tags. */
  sql?: string;
}

export interface PullRequest {
  group: string;
  topic: string;
  queueId: number;
  offset: number;
  batchSize: number;
  longPollMs: number;
  tags?: string;
  /** A SQL92 expression instead of tags. */
  sql?: string;
}

let fastClientCtor: typeof grpc.Client | undefined;

/** MessagingService's client with the hand-written send/delivery codecs (made once per process). */
function fastMessagingClient(): new (address: string, credentials: grpc.ChannelCredentials, options: object) => v2.MessagingServiceClient {
  fastClientCtor ??= grpc.makeGenericClientConstructor(fastClientDefinition(rocketmqV2().MessagingService.service as never) as never, 'MessagingService');
  return fastClientCtor as never;
}

function splitEndpoint(endpoint: string): [string, number] {
  const i = endpoint.lastIndexOf(':');
  return [endpoint.slice(0, i), Number(endpoint.slice(i + 1))];
}

function durationOf(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

function msOf(t: { seconds: string | number; nanos: number } | null | undefined): number | undefined {
  return t ? Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6) : undefined;
}

/** The v2 Code name of a status (the loader decodes enums as names). */
function codeName(status: v2.Status__Output | null | undefined): string {
  return String(status?.code ?? 'OK');
}

/**
 * A thin client of the RocketMQ 5 protocol for tools and benchmarks, not a replacement for the
 * official SDKs: no Telemetry session, no route discovery, one endpoint. Calls are independent
 * unary/stream calls on one HTTP/2 channel, so callers pipeline by issuing several at once, and a
 * send carries up to MAX_MESSAGES_PER_SEND messages.
 */
export class MessagingClient {
  private readonly stub: v2.MessagingServiceClient;
  private readonly shared = new grpc.Metadata();
  /** The second the shared metadata's signature is for (credentials only). */
  private signedAt = '';

  constructor(
    readonly endpoint: string,
    private readonly opts: {
      clientId?: string;
      requestTimeoutMs?: number;
      /** ACL (brokers with aclEnable): calls are signed as the official clients sign them. */
      credentials?: { accessKey: string; accessSecret: string };
      /**
       * A connection of its own: grpc-js otherwise shares one connection among the clients of a
       * process with the same endpoint and options.
       */
      ownConnection?: boolean;
      /** TLS, trusting this CA bundle (PEM); plaintext without. */
      tlsTrustCert?: Buffer;
    } = {},
  ) {
    const options = opts.ownConnection ? { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 } : CHANNEL_OPTIONS;
    const channel = opts.tlsTrustCert ? grpc.credentials.createSsl(opts.tlsTrustCert) : grpc.credentials.createInsecure();
    this.stub = new (fastMessagingClient())(endpoint, channel, options);
    this.shared.set('x-mq-client-id', opts.clientId ?? `orbitmq-client@${process.pid}@${nextMessageId()}`);
    this.shared.set('x-mq-protocol', 'v2');
    this.shared.set('x-mq-language', 'NODE_JS');
  }

  /** The calls' metadata; with credentials, re-signed when the second changes (the signed time's resolution). */
  private get metadata(): grpc.Metadata {
    const c = this.opts.credentials;
    if (!c) return this.shared;
    const dateTime = `${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
    if (dateTime !== this.signedAt) {
      this.signedAt = dateTime;
      this.shared.set('x-mq-date-time', dateTime);
      this.shared.set(
        'authorization',
        `MQv2-HMAC-SHA1 Credential=${c.accessKey}, SignedHeaders=x-mq-date-time, Signature=${v2Signature(c.accessSecret, dateTime)}`,
      );
    }
    return this.shared;
  }

  private deadline(extraMs = 0): grpc.CallOptions {
    return { deadline: Date.now() + (this.opts.requestTimeoutMs ?? 10_000) + extraMs };
  }

  /** One SendMessage request; per-message results in request order. */
  send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
    if (messages.length === 0 || messages.length > MAX_MESSAGES_PER_SEND) {
      return Promise.reject(new OrbitError('BAD_REQUEST', `a send carries 1-${MAX_MESSAGES_PER_SEND} messages, not ${messages.length}`));
    }
    const nowMs = Date.now();
    const wire = messages.map((m) => toWire(m, nowMs));
    return new Promise((resolve, reject) => {
      this.stub.SendMessage({ messages: wire }, this.metadata, this.deadline(), (err, res) => {
        if (err || !res) return reject(err ?? new Error('empty SendMessage response'));
        if (res.entries.length !== wire.length)
          return reject(
            new OrbitError('INTERNAL_ERROR', `SendMessage answered ${codeName(res.status)} with ${res.entries.length} entries for ${wire.length} messages`),
          );
        resolve(
          res.entries.map((e, i) => {
            const code = codeName(e.status);
            return { messageId: wire[i]?.systemProperties?.messageId ?? '', queueOffset: Number(e.offset), ...(code === 'OK' ? {} : { error: code }) };
          }),
        );
      });
    });
  }

  /** One long-polling ReceiveMessage call. */
  receive(r: ReceiveRequest): Promise<ReceivedMessage[]> {
    return new Promise((resolve, reject) => {
      const out: ReceivedMessage[] = [];
      let failure: string | undefined;
      const call = this.stub.ReceiveMessage(
        {
          group: { name: r.group },
          messageQueue: { topic: { name: r.topic }, id: 0 },
          filterExpression: r.sql ? { type: 'SQL', expression: r.sql } : { type: 'TAG', expression: r.tags ?? '*' },
          batchSize: r.batchSize,
          invisibleDuration: durationOf(r.invisibleMs),
          autoRenew: false,
          longPollingTimeout: durationOf(r.longPollMs),
        },
        this.metadata,
        this.deadline(r.longPollMs),
      );
      call.on('data', (f: v2.ReceiveMessageResponse__Output) => {
        if (f.message) out.push(fromWire(f.message));
        else if (f.status) {
          const code = codeName(f.status);
          if (code !== 'OK' && code !== 'MESSAGE_NOT_FOUND') failure = `${code}: ${f.status.message}`;
        }
      });
      call.on('end', () => (failure && out.length === 0 ? reject(new Error(failure)) : resolve(out)));
      call.on('error', reject);
    });
  }

  /** The readable queue ids of `topic` on this client's broker (QueryRoute, filtered by endpoint port). */
  readableQueueIds(topic: string): Promise<number[]> {
    const [host, port] = splitEndpoint(this.endpoint);
    return new Promise((resolve, reject) => {
      this.stub.QueryRoute(
        { topic: { name: topic }, endpoints: { scheme: 'IPv4', addresses: [{ host, port }] } },
        this.metadata,
        this.deadline(),
        (err, res) => {
          if (err || !res) return reject(err ?? new Error('empty QueryRoute response'));
          const code = codeName(res.status);
          if (code !== 'OK') return reject(new Error(`QueryRoute: ${code}: ${res.status?.message ?? ''}`));
          const ours = res.messageQueues.filter((q) => q.permission.includes('READ') && (q.broker?.endpoints?.addresses ?? []).some((a) => a.port === port));
          resolve([...new Set(ours.map((q) => q.id))].sort((a, b) => a - b));
        },
      );
    });
  }

  /** A queue's first or next-to-be-written offset (QueryOffset BEGINNING / END). */
  queryOffset(topic: string, queueId: number, policy: 'BEGINNING' | 'END'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.stub.QueryOffset(
        { messageQueue: { topic: { name: topic }, id: queueId }, queryOffsetPolicy: policy },
        this.metadata,
        this.deadline(),
        (err, res) => {
          if (err || !res) return reject(err ?? new Error('empty QueryOffset response'));
          const code = codeName(res.status);
          return code === 'OK' ? resolve(Number(res.offset)) : reject(new Error(`QueryOffset: ${code}: ${res.status?.message ?? ''}`));
        },
      );
    });
  }

  /** Commits a group's consume offset for one queue (UpdateOffset). */
  updateOffset(group: string, topic: string, queueId: number, offset: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stub.UpdateOffset(
        { group: { name: group }, messageQueue: { topic: { name: topic }, id: queueId }, offset: String(offset) },
        this.metadata,
        this.deadline(),
        (err, res) => {
          if (err || !res) return reject(err ?? new Error('empty UpdateOffset response'));
          const code = codeName(res.status);
          return code === 'OK' ? resolve() : reject(new Error(`UpdateOffset: ${code}: ${res.status?.message ?? ''}`));
        },
      );
    });
  }

  /**
   * One PullMessage call: up to `batchSize` messages of one queue from `offset` (waiting up to
   * `longPollMs` for one), and the offset to pull next. An offset outside the queue is not an
   * error here: it answers no messages and the queue's valid next offset.
   */
  pull(r: PullRequest): Promise<{ messages: ReceivedMessage[]; nextOffset: number }> {
    return new Promise((resolve, reject) => {
      const messages: ReceivedMessage[] = [];
      let nextOffset = r.offset;
      let failure: string | undefined;
      const call = this.stub.PullMessage(
        {
          group: { name: r.group },
          messageQueue: { topic: { name: r.topic }, id: r.queueId },
          offset: String(r.offset),
          batchSize: r.batchSize,
          filterExpression: r.sql ? { type: 'SQL', expression: r.sql } : { type: 'TAG', expression: r.tags ?? '*' },
          longPollingTimeout: durationOf(r.longPollMs),
        },
        this.metadata,
        this.deadline(r.longPollMs),
      );
      call.on('data', (f: v2.PullMessageResponse__Output) => {
        if (f.message) messages.push(fromWire(f.message));
        else if (f.nextOffset !== undefined && f.content === 'nextOffset') nextOffset = Number(f.nextOffset);
        else if (f.status) {
          const code = codeName(f.status);
          if (code !== 'OK' && code !== 'MESSAGE_NOT_FOUND' && code !== 'ILLEGAL_OFFSET') failure = `${code}: ${f.status.message}`;
        }
      });
      call.on('end', () => (failure ? reject(new Error(failure)) : resolve({ messages, nextOffset })));
      call.on('error', reject);
    });
  }

  ack(group: string, topic: string, messages: readonly { messageId: string; receiptHandle: string }[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const entries = messages.map((m) => ({ messageId: m.messageId, receiptHandle: m.receiptHandle }));
      this.stub.AckMessage({ group: { name: group }, topic: { name: topic }, entries }, this.metadata, this.deadline(), (err, res) => {
        if (err || !res) return reject(err ?? new Error('empty AckMessage response'));
        const code = codeName(res.status);
        return code === 'OK' ? resolve() : reject(new Error(`AckMessage: ${code}: ${res.status?.message ?? ''}`));
      });
    });
  }

  close(): void {
    this.stub.close();
  }
}

/** One object shape per message whatever it carries (undefined fields are not written). */
function toWire(m: OutgoingMessage, nowMs: number): v2.Message {
  const type = m.messageGroup ? 'FIFO' : m.deliveryTimestampMs !== undefined ? 'DELAY' : 'NORMAL';
  return {
    topic: { name: m.topic },
    body: m.body,
    userProperties: m.properties ?? {},
    systemProperties: {
      tag: m.tag ? m.tag : undefined,
      keys: m.keys ?? [],
      messageId: m.messageId ?? nextMessageId(nowMs),
      messageType: type,
      bodyEncoding: 'IDENTITY',
      bornTimestamp: durationOf(nowMs),
      bornHost: 'orbitmq-client',
      messageGroup: m.messageGroup ? m.messageGroup : undefined,
      deliveryTimestamp: m.deliveryTimestampMs !== undefined ? durationOf(m.deliveryTimestampMs) : undefined,
    },
  };
}

function fromWire(m: v2.Message__Output): ReceivedMessage {
  const sp = m.systemProperties;
  const delivery = msOf(sp?.deliveryTimestamp);
  return {
    topic: m.topic?.name ?? '',
    messageId: sp?.messageId ?? '',
    body: m.body,
    tag: sp?.tag ?? '',
    keys: sp?.keys ?? [],
    properties: m.userProperties,
    receiptHandle: sp?.receiptHandle ?? '',
    queueId: sp?.queueId ?? 0,
    queueOffset: Number(sp?.queueOffset ?? 0),
    deliveryAttempt: sp?.deliveryAttempt ?? 0,
    bornTimestampMs: msOf(sp?.bornTimestamp) ?? 0,
    storeTimestampMs: msOf(sp?.storeTimestamp) ?? 0,
    ...(delivery !== undefined ? { deliveryTimestampMs: delivery } : {}),
  };
}
