// A RocketMQ 4.x pull consumer over remoting: PULL_MESSAGE (11) with long polling, offsets
// (14/15/29/30/31), group membership (34/38), send-back (36) and orderly queue locks (41/42).
import {
  type MessageExt,
  MessageProperty as P,
  PullSysFlag,
  type RemotingCommand,
  RequestCode,
  ResponseCode,
  decodeMessageExts,
  requestCodeNotSupported,
} from '@orbitmq/remoting';
import { RemotingClientBase } from './base';
import { javaHashCode, type MessageQueue, msgIdOf, type RemotingClientConfig, storeAddrOf } from './common';

export type ExpressionType = 'TAG' | 'SQL92';
export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

const PULL_STATUS_BY_CODE = new Map<number, PullStatus>([
  [ResponseCode.SUCCESS, 'FOUND'],
  [ResponseCode.PULL_NOT_FOUND, 'NO_NEW_MSG'],
  [ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MSG'],
  [ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_ILLEGAL'],
]);
const PULL_CODES = [...PULL_STATUS_BY_CODE.keys()];

export interface Subscription {
  topic: string;
  /** Tag expression ("*", "TagA || TagB") or SQL92 text. */
  expression: string;
  expressionType?: ExpressionType;
}

export interface RemotingPullConsumerConfig extends RemotingClientConfig {
  group: string;
  subscriptions?: readonly Subscription[];
  /** CONSUME_PASSIVELY (push-like, default) or CONSUME_ACTIVELY (pull). */
  consumeType?: 'CONSUME_PASSIVELY' | 'CONSUME_ACTIVELY';
  consumeFromWhere?: string;
}

export interface PullOptions {
  /** Long poll: the broker parks the pull up to this long when nothing is there (0: answer at once). */
  suspendMs?: number;
  /** Subscription expression sent with the pull (default: the consumer's for the topic, else "*"). */
  subscription?: string;
  expressionType?: ExpressionType;
  /** Stores this offset for the group along with the pull. */
  commitOffset?: number;
}

export interface PullResult {
  status: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  suggestWhichBrokerId: number;
  /** The records found (zlib bodies inflated). */
  messages: MessageExt[];
}

interface SubscriptionData {
  topic: string;
  subString: string;
  expressionType: ExpressionType;
  tagsSet: string[];
  codeSet: number[];
  subVersion: number;
  classFilterMode: false;
}

function subscriptionData(s: Subscription): SubscriptionData {
  const type = s.expressionType ?? 'TAG';
  const expr = s.expression.trim() || '*';
  const tags =
    type === 'TAG' && expr !== '*'
      ? expr
          .split('||')
          .map((t) => t.trim())
          .filter((t) => t !== '')
      : [];
  return {
    topic: s.topic,
    subString: expr,
    expressionType: type,
    tagsSet: tags,
    codeSet: tags.map(javaHashCode),
    subVersion: Date.now(),
    classFilterMode: false,
  };
}

/** Events: 'consumerIdsChanged' (group) on the broker's NOTIFY_CONSUMER_IDS_CHANGED; 'error'. */
export class RemotingPullConsumer extends RemotingClientBase {
  readonly group: string;
  private readonly subs = new Map<string, SubscriptionData>();
  private readonly consumeType: string;
  private readonly consumeFromWhere: string;

  constructor(config: RemotingPullConsumerConfig) {
    super(config);
    this.group = config.group;
    this.consumeType = config.consumeType ?? 'CONSUME_PASSIVELY';
    this.consumeFromWhere = config.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    for (const s of config.subscriptions ?? []) this.subs.set(s.topic, subscriptionData(s));
  }

  /** Heartbeats to the masters of every subscribed topic: the group and its members are known from now on. */
  async start(): Promise<void> {
    await this.heartbeatAll([...this.subs.keys()]);
  }

  /** Adds or replaces a subscription and heartbeats it to every broker in use (and the topic's). */
  async subscribe(sub: Subscription): Promise<void> {
    this.subs.set(sub.topic, subscriptionData(sub));
    await this.heartbeatAll([sub.topic]);
  }

  async pull(mq: MessageQueue, offset: number, maxNums: number, opts: PullOptions = {}): Promise<PullResult> {
    const sub = this.subs.get(mq.topic);
    const suspendMs = opts.suspendMs ?? 0;
    const expression = opts.subscription ?? sub?.subString ?? '*';
    const sysFlag = (opts.commitOffset !== undefined ? PullSysFlag.COMMIT_OFFSET : 0) | (suspendMs > 0 ? PullSysFlag.SUSPEND : 0) | PullSysFlag.SUBSCRIPTION;
    const header: Record<string, string> = {
      consumerGroup: this.group,
      topic: mq.topic,
      queueId: String(mq.queueId),
      queueOffset: String(offset),
      maxMsgNums: String(maxNums),
      sysFlag: String(sysFlag),
      commitOffset: String(opts.commitOffset ?? 0),
      suspendTimeoutMillis: String(suspendMs),
      subscription: expression,
      subVersion: String(sub?.subVersion ?? 0),
      expressionType: opts.expressionType ?? sub?.expressionType ?? 'TAG',
    };
    const addr = await this.routes.masterAddr(mq.brokerName, mq.topic);
    const what = `pull ${mq.topic}/${mq.brokerName}/${mq.queueId}`;
    const res = await this.call(addr, this.request(RequestCode.PULL_MESSAGE, header), what, PULL_CODES, suspendMs + this.rpcTimeoutMs);
    const x = res.extFields;
    const status = PULL_STATUS_BY_CODE.get(res.code) as PullStatus;
    // BODYCRC checked, unlike the Java client's default: a record damaged between store and socket fails loudly.
    const messages = status === 'FOUND' && res.body ? decodeMessageExts(res.body, { inflate: true, checkCrc: true }) : [];
    return {
      status,
      nextBeginOffset: Number(x.nextBeginOffset ?? offset),
      minOffset: Number(x.minOffset ?? 0),
      maxOffset: Number(x.maxOffset ?? 0),
      suggestWhichBrokerId: Number(x.suggestWhichBrokerId ?? 0),
      messages,
    };
  }

  /** The group's committed offset of the queue; -1 when it has none (QUERY_NOT_FOUND). */
  async queryOffset(mq: MessageQueue): Promise<number> {
    const header = { consumerGroup: this.group, topic: mq.topic, queueId: String(mq.queueId) };
    const res = await this.call(await this.addrOf(mq), this.request(RequestCode.QUERY_CONSUMER_OFFSET, header), 'query offset', [
      0,
      ResponseCode.QUERY_NOT_FOUND,
    ]);
    return res.code === 0 ? Number(res.extFields.offset) : -1;
  }

  async updateOffset(mq: MessageQueue, offset: number): Promise<void> {
    const header = { consumerGroup: this.group, topic: mq.topic, queueId: String(mq.queueId), commitOffset: String(offset) };
    await this.call(await this.addrOf(mq), this.request(RequestCode.UPDATE_CONSUMER_OFFSET, header), 'update offset');
  }

  maxOffset(mq: MessageQueue): Promise<number> {
    return this.offsetCall(RequestCode.GET_MAX_OFFSET, mq, {}, 'max offset');
  }

  minOffset(mq: MessageQueue): Promise<number> {
    return this.offsetCall(RequestCode.GET_MIN_OFFSET, mq, {}, 'min offset');
  }

  /** The first offset stored at or after `timestampMs`. */
  searchOffset(mq: MessageQueue, timestampMs: number): Promise<number> {
    return this.offsetCall(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, mq, { timestamp: String(timestampMs) }, 'search offset');
  }

  /** GET_CONSUMER_LIST_BY_GROUP, asked of a master of `topic` (default: the first subscribed topic, else any broker used). */
  async consumerIds(group = this.group, topic?: string): Promise<string[]> {
    const t = topic ?? [...this.subs.keys()][0];
    const addr = t ? [...(await this.routes.route(t)).masters.values()][0] : this.routes.masterAddrs()[0];
    if (!addr) throw new Error('no broker known to ask for consumer ids');
    const res = await this.call(addr, this.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: group }), 'consumer ids');
    return res.body ? ((JSON.parse(res.body.toString('utf8')) as { consumerIdList?: string[] }).consumerIdList ?? []) : [];
  }

  /** CONSUMER_SEND_MSG_BACK: the record again through %RETRY%<group> after `delayLevel` (0: the broker's choice), or to the DLQ. */
  async sendBack(msg: MessageExt, delayLevel: number, maxReconsumeTimes = 16): Promise<void> {
    const header = {
      offset: String(msg.commitLogOffset),
      group: this.group,
      delayLevel: String(delayLevel),
      originMsgId: msgIdOf(msg),
      originTopic: msg.properties.get(P.RETRY_TOPIC) ?? msg.topic,
      unitMode: 'false',
      maxReconsumeTimes: String(maxReconsumeTimes),
    };
    await this.call(storeAddrOf(msg), this.request(RequestCode.CONSUMER_SEND_MSG_BACK, header), 'send back');
  }

  /** LOCK_BATCH_MQ to each broker of `mqs`: the queues this client now holds. */
  async lockBatch(mqs: readonly MessageQueue[]): Promise<MessageQueue[]> {
    const out: MessageQueue[] = [];
    for (const [addr, set] of await this.byBroker(mqs)) {
      const res = await this.call(addr, this.request(RequestCode.LOCK_BATCH_MQ, {}, this.lockBody(set)), 'lock queues');
      const locked = res.body ? ((JSON.parse(res.body.toString('utf8')) as { lockOKMQSet?: MessageQueue[] }).lockOKMQSet ?? []) : [];
      for (const q of locked) out.push({ topic: q.topic, brokerName: q.brokerName, queueId: Number(q.queueId) });
    }
    return out;
  }

  /** UNLOCK_BATCH_MQ: releases this client's locks of `mqs`. */
  async unlockBatch(mqs: readonly MessageQueue[]): Promise<void> {
    for (const [addr, set] of await this.byBroker(mqs)) {
      await this.call(addr, this.request(RequestCode.UNLOCK_BATCH_MQ, {}, this.lockBody(set)), 'unlock queues');
    }
  }

  protected heartbeatData(): Record<string, unknown> {
    const consumer = {
      groupName: this.group,
      consumeType: this.consumeType,
      messageModel: 'CLUSTERING',
      consumeFromWhere: this.consumeFromWhere,
      subscriptionDataSet: [...this.subs.values()],
      unitMode: false,
    };
    return { producerDataSet: [], consumerDataSet: [consumer] };
  }

  protected unregisterFields(): Record<string, string> {
    return { consumerGroup: this.group };
  }

  protected override handleBrokerRequest(cmd: RemotingCommand): RemotingCommand | undefined {
    if (cmd.code !== RequestCode.NOTIFY_CONSUMER_IDS_CHANGED) return requestCodeNotSupported(cmd);
    this.emit('consumerIdsChanged', cmd.extFields.consumerGroup ?? this.group);
    return undefined; // oneway
  }

  private lockBody(mqSet: MessageQueue[]): Buffer {
    return Buffer.from(JSON.stringify({ consumerGroup: this.group, clientId: this.clientId, onlyThisBroker: false, mqSet }));
  }

  private async byBroker(mqs: readonly MessageQueue[]): Promise<Map<string, MessageQueue[]>> {
    const out = new Map<string, MessageQueue[]>();
    for (const mq of mqs) {
      const addr = await this.addrOf(mq);
      let list = out.get(addr);
      if (!list) out.set(addr, (list = []));
      list.push({ topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId });
    }
    return out;
  }

  private addrOf(mq: MessageQueue): Promise<string> {
    return this.routes.masterAddr(mq.brokerName, mq.topic);
  }

  private async offsetCall(code: number, mq: MessageQueue, extra: Record<string, string>, what: string): Promise<number> {
    const header = { topic: mq.topic, queueId: String(mq.queueId), ...extra };
    const res = await this.call(await this.addrOf(mq), this.request(code, header), what);
    return Number(res.extFields.offset);
  }
}
