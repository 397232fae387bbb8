// A RocketMQ 4.x producer over remoting: SEND_MESSAGE_V2 (310) one message at a time,
// SEND_BATCH_MESSAGE (320) many to one queue, transactions (half message, END_TRANSACTION 37,
// and answers to the broker's CHECK_TRANSACTION_STATE 39).
import {
  MessageProperty as P,
  MessageSysFlag,
  type MessageExt,
  type RemotingCommand,
  type RemotingConnection,
  RequestCode,
  decodeMessageExts,
  decodeOffsetMsgId,
  encodeBatch,
  requestCodeNotSupported,
} from '@orbitmq/remoting';
import { RemotingClientBase } from './base';
import type { MessageQueue, RemotingClientConfig } from './common';
import {
  bodyOf,
  buildProperties,
  type QueueSelector,
  type RemotingBatchSendResult,
  type RemotingMessage,
  type RemotingSendResult,
  SEND_OK_CODES,
  SEND_STATUS_BY_CODE,
  type SendStatus,
  sendHeaderV2,
} from './message';
import { newUniqKey } from './common';

export type TransactionState = 'COMMIT' | 'ROLLBACK' | 'UNKNOWN';

/** EndTransactionRequestHeader.commitOrRollback. */
export const TRANSACTION_STATE_CODE: Record<TransactionState, number> = { COMMIT: 8, ROLLBACK: 12, UNKNOWN: 0 };

export interface RemotingProducerConfig extends RemotingClientConfig {
  group: string;
  /** Answers the broker's check-back of a half message whose outcome it does not know. */
  checkListener?: (msg: MessageExt) => TransactionState | Promise<TransactionState>;
}

export interface SendOptions {
  /** A fixed queue. */
  queue?: MessageQueue;
  /** Orderly sends: picks the queue from the writable queues, the message and `arg`. */
  queueSelector?: QueueSelector;
  arg?: unknown;
  timeoutMs?: number;
}

export interface TransactionResult {
  sendResult: RemotingSendResult;
  /** The state sent in END_TRANSACTION (ROLLBACK without running the local transaction when the send was not SEND_OK). */
  state: TransactionState;
}

/** Events: 'transactionCheck' (msg, state) after answering a check-back; 'error' (background failures). */
export class RemotingProducer extends RemotingClientBase {
  readonly group: string;
  private readonly checkListener: RemotingProducerConfig['checkListener'];
  private readonly turns = new Map<string, number>();

  constructor(config: RemotingProducerConfig) {
    super(config);
    this.group = config.group;
    this.checkListener = config.checkListener;
  }

  /** Heartbeats to the masters of `topics` now (so the broker knows the group before the first send). */
  async start(topics: readonly string[] = []): Promise<void> {
    await this.heartbeatAll(topics);
  }

  send(msg: RemotingMessage, opts: SendOptions = {}): Promise<RemotingSendResult> {
    return this.sendOne(msg, opts, undefined, 0);
  }

  /** SEND_BATCH_MESSAGE: every message to one queue (the first message decides for a selector). */
  async sendBatch(msgs: readonly RemotingMessage[], opts: SendOptions = {}): Promise<RemotingBatchSendResult> {
    const first = msgs[0];
    if (!first) throw new Error('a batch needs at least one message');
    for (const m of msgs) if (m.topic !== first.topic) throw new Error(`a batch goes to one topic (${first.topic}, not ${m.topic})`);
    const msgIds: string[] = new Array<string>(msgs.length);
    const body = encodeBatch(
      msgs.map((m, i) => {
        const uniq = newUniqKey();
        msgIds[i] = uniq;
        return { flag: m.flag ?? 0, body: bodyOf(m), properties: buildProperties(m, uniq) };
      }),
    );
    const { mq, addr } = await this.pickQueue(first, opts);
    const header = sendHeaderV2({ group: this.group, mq, sysFlag: 0, flag: 0, properties: '', batch: true });
    const res = await this.call(addr, this.request(RequestCode.SEND_BATCH_MESSAGE, header, body), `batch send to ${mq.topic}`, SEND_OK_CODES, opts.timeoutMs);
    const offsetMsgIds = (res.extFields.msgId ?? '').split(',');
    return {
      status: statusOf(res),
      msgIds,
      offsetMsgIds,
      messageQueue: mq,
      queueId: Number(res.extFields.queueId ?? mq.queueId),
      queueOffset: Number(res.extFields.queueOffset),
    };
  }

  /**
   * Sends `msg` as a half message (TRAN_MSG, PGROUP), runs the local transaction, and ends it with
   * END_TRANSACTION (oneway). A throwing executeLocal counts as UNKNOWN: the broker will check back.
   */
  async sendMessageInTransaction(
    msg: RemotingMessage,
    executeLocal: (msg: RemotingMessage, sent: RemotingSendResult) => TransactionState | Promise<TransactionState>,
    opts: SendOptions = {},
  ): Promise<TransactionResult> {
    if (msg.delayLevel) throw new Error('a transactional message cannot be delayed');
    const half = { ...msg, delayLevel: undefined };
    const system = { [P.TRANSACTION_PREPARED]: 'true', [P.PRODUCER_GROUP]: this.group };
    const sendResult = await this.sendOne(half, opts, system, MessageSysFlag.TRANSACTION_PREPARED);
    let state: TransactionState = 'ROLLBACK';
    if (sendResult.status === 'SEND_OK') {
      try {
        state = await executeLocal(msg, sendResult);
      } catch {
        state = 'UNKNOWN';
      }
    }
    await this.endTransaction(sendResult, state);
    return { sendResult, state };
  }

  /** END_TRANSACTION (37, oneway) for a half message this producer sent. */
  async endTransaction(sent: RemotingSendResult, state: TransactionState): Promise<void> {
    const header = {
      topic: sent.messageQueue.topic,
      producerGroup: this.group,
      tranStateTableOffset: String(sent.queueOffset),
      commitLogOffset: String(decodeOffsetMsgId(sent.offsetMsgId).commitLogOffset),
      commitOrRollback: String(TRANSACTION_STATE_CODE[state]),
      fromTransactionCheck: 'false',
      msgId: sent.msgId,
      transactionId: sent.transactionId ?? sent.msgId,
    };
    const addr = await this.routes.masterAddr(sent.messageQueue.brokerName, sent.messageQueue.topic);
    (await this.brokerConnection(addr)).invokeOneway(this.request(RequestCode.END_TRANSACTION, header));
  }

  protected heartbeatData(): Record<string, unknown> {
    return { producerDataSet: [{ groupName: this.group }], consumerDataSet: [] };
  }

  protected unregisterFields(): Record<string, string> {
    return { producerGroup: this.group };
  }

  protected override handleBrokerRequest(cmd: RemotingCommand, conn: RemotingConnection): RemotingCommand | undefined {
    if (cmd.code !== RequestCode.CHECK_TRANSACTION_STATE) return requestCodeNotSupported(cmd);
    this.answerCheck(cmd, conn).catch((e: unknown) => this.report(e));
    return undefined; // 39 is oneway: the answer is an END_TRANSACTION of ours.
  }

  /** CHECK_TRANSACTION_STATE: asks the checkListener, answers with END_TRANSACTION fromTransactionCheck=true on the same connection. */
  private async answerCheck(cmd: RemotingCommand, conn: RemotingConnection): Promise<void> {
    const listener = this.checkListener;
    if (!listener) throw new Error(`check-back from ${conn.remoteAddress} but producer ${this.group} has no checkListener`);
    const msg = decodeMessageExts(cmd.body ?? Buffer.alloc(0), { inflate: true })[0];
    if (!msg) throw new Error(`check-back from ${conn.remoteAddress} without a message`);
    let state: TransactionState;
    try {
      state = await listener(msg);
    } catch {
      state = 'UNKNOWN';
    }
    const h = cmd.extFields;
    const header = {
      topic: h.topic ?? msg.topic,
      producerGroup: this.group,
      tranStateTableOffset: h.tranStateTableOffset ?? String(msg.queueOffset),
      commitLogOffset: h.commitLogOffset ?? String(msg.commitLogOffset),
      commitOrRollback: String(TRANSACTION_STATE_CODE[state]),
      fromTransactionCheck: 'true',
      msgId: msg.properties.get(P.UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? h.msgId ?? msg.offsetMsgId,
      transactionId: h.transactionId ?? h.msgId ?? '',
    };
    if (!conn.closed) conn.invokeOneway(this.request(RequestCode.END_TRANSACTION, header));
    this.emit('transactionCheck', msg, state);
  }

  private async sendOne(msg: RemotingMessage, opts: SendOptions, system: Record<string, string> | undefined, sysFlag: number): Promise<RemotingSendResult> {
    const msgId = newUniqKey();
    const properties = buildProperties(msg, msgId, system);
    const { mq, addr } = await this.pickQueue(msg, opts);
    const header = sendHeaderV2({ group: this.group, mq, sysFlag, flag: msg.flag ?? 0, properties, batch: false });
    const res = await this.call(addr, this.request(RequestCode.SEND_MESSAGE_V2, header, bodyOf(msg)), `send to ${mq.topic}`, SEND_OK_CODES, opts.timeoutMs);
    const x = res.extFields;
    const result: RemotingSendResult = {
      status: statusOf(res),
      msgId,
      offsetMsgId: x.msgId ?? '',
      messageQueue: mq,
      queueId: Number(x.queueId ?? mq.queueId),
      queueOffset: Number(x.queueOffset),
    };
    if (x.transactionId) result.transactionId = x.transactionId;
    return result;
  }

  /** The queue of a send and its broker's master address: fixed, selected, or round-robin from a random start. */
  private async pickQueue(msg: RemotingMessage, opts: SendOptions): Promise<{ mq: MessageQueue; addr: string }> {
    const route = await this.routes.route(msg.topic);
    const queues = route.writeQueues;
    let mq = opts.queue;
    if (!mq) {
      if (queues.length === 0) throw new Error(`topic ${msg.topic} has no writable queue`);
      if (opts.queueSelector) {
        mq = opts.queueSelector(queues, msg, opts.arg);
      } else {
        const turn = this.turns.get(msg.topic) ?? Math.floor(Math.random() * queues.length);
        this.turns.set(msg.topic, (turn + 1) % 0x7fffffff);
        mq = queues[turn % queues.length] as MessageQueue;
      }
    }
    const addr = route.masters.get(mq.brokerName) ?? (await this.routes.masterAddr(mq.brokerName));
    return { mq, addr };
  }
}

function statusOf(res: RemotingCommand): SendStatus {
  return SEND_STATUS_BY_CODE.get(res.code) ?? 'SEND_OK';
}
