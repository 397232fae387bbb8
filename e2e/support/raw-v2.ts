import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { rocketmqV2, type v2 } from '@orbitmq/protocol';
import { CHANNEL_OPTIONS } from '@orbitmq/rpc';

/**
 * A bare RocketMQ v2 client for what the official SDK will not send (oversized bodies, forged
 * receipt handles): requests go out exactly as written here.
 */
export class RawV2Client {
  private readonly client: v2.MessagingServiceClient;
  private readonly clientId = `raw-test@${process.pid}@${randomUUID()}`;

  /** `headers`: more metadata per call (e.g. a hand-made authorization header). */
  constructor(
    endpoint: string,
    private readonly headers: () => Record<string, string> = () => ({}),
  ) {
    this.client = new (rocketmqV2().MessagingService)(endpoint, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  }

  private md(): grpc.Metadata {
    const m = new grpc.Metadata();
    m.set('x-mq-client-id', this.clientId);
    m.set('x-mq-protocol', 'v2');
    m.set('x-mq-language', 'HTTP');
    for (const [k, v] of Object.entries(this.headers())) m.set(k, v);
    return m;
  }

  private unary<Req, Res>(method: string, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = (
        this.client as unknown as Record<string, (r: Req, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: Res) => void) => void>
      )[method] as (...a: unknown[]) => void;
      fn.call(this.client, req, this.md(), { deadline: Date.now() + 10_000 }, (e: grpc.ServiceError | null, r?: Res) => (e ? reject(e) : resolve(r as Res)));
    });
  }

  send(messages: v2.Message[]): Promise<v2.SendMessageResponse__Output> {
    return this.unary('SendMessage', { messages });
  }

  ack(group: string, topic: string, receiptHandle: string, messageId = 'x'): Promise<v2.AckMessageResponse__Output> {
    return this.unary('AckMessage', { group: { name: group }, topic: { name: topic }, entries: [{ messageId, receiptHandle }] });
  }

  changeInvisible(group: string, topic: string, receiptHandle: string, ms: number): Promise<v2.ChangeInvisibleDurationResponse__Output> {
    return this.unary('ChangeInvisibleDuration', {
      group: { name: group },
      topic: { name: topic },
      receiptHandle,
      messageId: 'x',
      invisibleDuration: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 },
    });
  }

  endTransaction(topic: string, messageId: string, transactionId: string, resolution: 'COMMIT' | 'ROLLBACK'): Promise<v2.EndTransactionResponse__Output> {
    return this.unary('EndTransaction', { topic: { name: topic }, messageId, transactionId, resolution, source: 'SOURCE_CLIENT' });
  }

  /** One ReceiveMessage call; returns every frame of the response stream. */
  receive(
    group: string,
    topic: string,
    batchSize: number,
    invisibleMs: number,
    pollMs: number,
    filter: { type: 'TAG' | 'SQL'; expression: string } = { type: 'TAG', expression: '*' },
  ): Promise<v2.ReceiveMessageResponse__Output[]> {
    return new Promise((resolve, reject) => {
      const frames: v2.ReceiveMessageResponse__Output[] = [];
      const call = this.client.ReceiveMessage(
        {
          group: { name: group },
          messageQueue: { topic: { name: topic }, id: 0 },
          filterExpression: filter,
          batchSize,
          invisibleDuration: { seconds: Math.floor(invisibleMs / 1000), nanos: (invisibleMs % 1000) * 1e6 },
          autoRenew: false,
          longPollingTimeout: { seconds: Math.floor(pollMs / 1000), nanos: (pollMs % 1000) * 1e6 },
        },
        this.md(),
        { deadline: Date.now() + pollMs + 10_000 },
      );
      call.on('data', (f: v2.ReceiveMessageResponse__Output) => frames.push(f));
      call.on('end', () => resolve(frames));
      call.on('error', reject);
    });
  }

  queryOffset(topic: string, queueId: number, policy: 'BEGINNING' | 'END' | 'TIMESTAMP', timestampMs = 0): Promise<v2.QueryOffsetResponse__Output> {
    return this.unary('QueryOffset', {
      messageQueue: { topic: { name: topic }, id: queueId },
      queryOffsetPolicy: policy,
      ...(policy === 'TIMESTAMP' ? { timestamp: { seconds: Math.floor(timestampMs / 1000), nanos: (timestampMs % 1000) * 1e6 } } : {}),
    });
  }

  getOffset(group: string, topic: string, queueId: number): Promise<v2.GetOffsetResponse__Output> {
    return this.unary('GetOffset', { group: { name: group }, messageQueue: { topic: { name: topic }, id: queueId } });
  }

  updateOffset(group: string, topic: string, queueId: number, offset: number): Promise<v2.UpdateOffsetResponse__Output> {
    return this.unary('UpdateOffset', { group: { name: group }, messageQueue: { topic: { name: topic }, id: queueId }, offset });
  }

  /** One PullMessage call; returns its frames. */
  pull(
    group: string,
    topic: string,
    queueId: number,
    offset: number,
    batchSize: number,
    pollMs = 0,
    tags = '*',
    filterType: 'TAG' | 'SQL' = 'TAG',
  ): Promise<v2.PullMessageResponse__Output[]> {
    return new Promise((resolve, reject) => {
      const frames: v2.PullMessageResponse__Output[] = [];
      const call = this.client.PullMessage(
        {
          group: { name: group },
          messageQueue: { topic: { name: topic }, id: queueId },
          offset,
          batchSize,
          filterExpression: { type: filterType, expression: tags },
          longPollingTimeout: { seconds: Math.floor(pollMs / 1000), nanos: (pollMs % 1000) * 1e6 },
        },
        this.md(),
        { deadline: Date.now() + pollMs + 10_000 },
      );
      call.on('data', (f: v2.PullMessageResponse__Output) => frames.push(f));
      call.on('end', () => resolve(frames));
      call.on('error', reject);
    });
  }

  queryRoute(topic: string, endpoint: string): Promise<v2.QueryRouteResponse__Output> {
    const [host, port] = endpoint.split(':');
    return this.unary('QueryRoute', { topic: { name: topic }, endpoints: { scheme: 'IPv4', addresses: [{ host, port: Number(port) }] } });
  }

  close(): void {
    this.client.close();
  }
}

export function message(topic: string, body: Buffer, over: Partial<v2.SystemProperties> = {}): v2.Message {
  return {
    topic: { name: topic },
    body,
    userProperties: {},
    systemProperties: {
      messageId: randomUUID().replace(/-/g, '').toUpperCase(),
      messageType: 'NORMAL',
      bodyEncoding: 'IDENTITY',
      bornTimestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
      bornHost: 'test',
      ...over,
    },
  };
}

/** The numeric RocketMQ code of a Status (enums arrive as names). */
export function codeOf(status: v2.Status__Output | null | undefined): string {
  return String(status?.code ?? 'none');
}
