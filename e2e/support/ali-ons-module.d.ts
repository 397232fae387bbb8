/** The part of ali-ons 3.x (plain JS, no typings) that the e2e driver uses. */
declare module 'ali-ons' {
  import { EventEmitter } from 'node:events';

  interface AliOnsLogger {
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
    debug(...args: unknown[]): void;
  }

  interface ClientOptions {
    nameSrv?: string | string[];
    /** Asserted present even when nameSrv makes it unused. */
    httpclient: unknown;
    logger?: AliOnsLogger;
    accessKey?: string;
    secretKey?: string;
    instanceName?: string;
    pollNameServerInteval?: number;
    heartbeatBrokerInterval?: number;
    persistConsumerOffsetInterval?: number;
    rebalanceInterval?: number;
  }

  export class Message {
    constructor(topic: string, tags: string | null, body: string | Buffer);
    topic: string;
    tags: string | null;
    keys: string;
    body: Buffer;
    properties: Record<string, string>;
    msgId: string | null;
    queueId: number;
    queueOffset: number;
    commitLogOffset: number;
    reconsumeTimes: number;
    storeHost: string;
    bornHost: string;
    flag: number;
    sysFlag: number;
    readonly originMessageId: string | undefined;
    readonly retryTopic: string | undefined;
  }

  export interface SendResult {
    sendStatus: string;
    msgId: string;
    messageQueue: { topic: string; brokerName: string; queueId: number };
    queueOffset: number;
  }

  export class Producer extends EventEmitter {
    constructor(options: ClientOptions & { producerGroup?: string });
    ready(): Promise<void>;
    send(msg: Message): Promise<SendResult>;
    close(): Promise<void>;
  }

  export class Consumer extends EventEmitter {
    static readonly ACTION_RETRY: unique symbol;
    constructor(
      options: ClientOptions & {
        consumerGroup: string;
        isBroadcast?: boolean;
        persistent?: boolean;
        consumeFromWhere?: string;
        pullTimeDelayMillsWhenException?: number;
        maxReconsumeTimes?: number;
      },
    );
    readonly processQueueTable: Map<string, { messageQueue: { topic: string; brokerName: string; queueId: number } }>;
    ready(): Promise<void>;
    subscribe(topic: string, expression: string, handler: (msg: Message) => Promise<unknown>): void;
    close(): Promise<void>;
  }
}
