import { OrbitError, toOrbitError } from '@orbitmq/protocol';
import {
  type HostAddress,
  MessageProperty as P,
  MessageSysFlag,
  type RemotingCommand,
  RequestCode,
  ResponseCode,
  createOffsetMsgId,
  createRequest,
  createResponse,
  decodeProperties as decodeClassic,
  encodeMessageExts,
} from '@orbitmq/remoting';
import { decodeProperties } from '../message';
import type { StorePort, StoreRecord } from '../store-port';
import { type TransactionService, transactionIdOf } from '../transaction';
import { type HalfEntry, parseTransactionId } from '../transaction/transaction-index';
import type { RemotingClients } from './remoting-clients';
import { errorResponse, headerBool, headerInt } from './remoting-headers';
import { toMessageExt } from './message-mapping';

/** EndTransactionRequestHeader.commitOrRollback (MessageSysFlag.TRANSACTION_*_TYPE). */
export const TRANSACTION_STATE = { UNKNOWN: 0, COMMIT: 8, ROLLBACK: 12 } as const;

export interface TransactionProcessorDeps {
  store: Pick<StorePort, 'getMessage'>;
  transactions: Pick<TransactionService, 'pending' | 'end'>;
  /** False on a replica: transactions end on the master. */
  writable: boolean;
}

/** The producer group a half record was sent by (4.x: PGROUP), if it names one. */
export function producerGroupOf(record: StoreRecord): string | undefined {
  const classic = decodeProperties(record.properties).system.classicProperties;
  return classic ? decodeClassic(classic).get(P.PRODUCER_GROUP) : undefined;
}

/** The half record's log offset: commitLogOffset (from the offsetMsgId), or our transaction id. */
function halfOffsetOf(h: Record<string, string>): number {
  const byId = h.transactionId ? parseTransactionId(h.transactionId) : undefined;
  if (h.commitLogOffset === undefined || h.commitLogOffset === '') {
    if (byId === undefined) throw new OrbitError('BAD_REQUEST', 'header field commitLogOffset is required');
    return byId;
  }
  const offset = headerInt(h, 'commitLogOffset', 0, Number.MAX_SAFE_INTEGER);
  // Other transaction ids (a client's UNIQ_KEY) are not ours to check; ours must agree.
  if (byId !== undefined && byId !== offset)
    throw new OrbitError('INVALID_TRANSACTION_ID', `transactionId ${h.transactionId} does not name the half message at commit-log offset ${offset}`);
  return offset;
}

/** EndTransactionProcessor.checkPrepareMessage: the request must describe the half it ends. */
function checkPrepared(h: Record<string, string>, half: HalfEntry, record: StoreRecord): void {
  const group = producerGroupOf(record);
  if (group !== undefined && h.producerGroup !== undefined && h.producerGroup !== group)
    throw new OrbitError('INVALID_TRANSACTION_ID', `producer group ${h.producerGroup} did not send this half message (${group} did)`);
  const tableOffset = headerInt(h, 'tranStateTableOffset', 0, Number.MAX_SAFE_INTEGER, record.queueOffset);
  if (tableOffset !== record.queueOffset)
    throw new OrbitError('INVALID_TRANSACTION_ID', `tranStateTableOffset ${tableOffset} is not the half message's (${record.queueOffset})`);
  if (h.topic && h.topic !== half.topic) throw new OrbitError('INVALID_TRANSACTION_ID', `the half message belongs to topic ${half.topic}, not ${h.topic}`);
}

/**
 * END_TRANSACTION (37), oneway from a 4.x producer: its own decision after the local
 * transaction, or its answer to CHECK_TRANSACTION_STATE (fromTransactionCheck). Commit (8) and
 * rollback (12) go through the same TransactionService as the v5 EndTransaction, so the
 * committed message reaches 4.x and v5 consumers alike and a rolled-back one nobody; unknown (0)
 * leaves the half message to the check-back. The response (dropped for a oneway request)
 * carries the outcome for clients that wait for one.
 */
export async function processEndTransaction(deps: TransactionProcessorDeps, cmd: RemotingCommand): Promise<RemotingCommand> {
  try {
    if (!deps.writable) return createResponse(cmd, ResponseCode.SLAVE_NOT_AVAILABLE, 'a replica does not end transactions; send to the master');
    const h = cmd.extFields;
    const state = headerInt(h, 'commitOrRollback', -0x80000000, 0x7fffffff);
    if (state !== TRANSACTION_STATE.COMMIT && state !== TRANSACTION_STATE.ROLLBACK) {
      return createResponse(cmd, ResponseCode.SUCCESS, `transaction state ${state} is not final: the half message waits for its check`);
    }
    const halfLogOffset = halfOffsetOf(h);
    const half = await deps.transactions.pending(halfLogOffset);
    if (!half) throw new OrbitError('INVALID_TRANSACTION_ID', `no pending half message at commit-log offset ${halfLogOffset} (unknown or already resolved)`);
    checkPrepared(h, half, await deps.store.getMessage(halfLogOffset, half.size));
    await deps.transactions.end({
      topic: { name: half.topic, resourceNamespace: '' },
      messageId: half.messageId,
      transactionId: transactionIdOf(halfLogOffset),
      resolution: state === TRANSACTION_STATE.COMMIT ? 'COMMIT' : 'ROLLBACK',
      source: headerBool(h, 'fromTransactionCheck') ? 'SOURCE_SERVER_CHECK' : 'SOURCE_CLIENT',
      traceContext: '',
    });
    return createResponse(cmd, ResponseCode.SUCCESS);
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}

export interface CheckBackDeps {
  clients: Pick<RemotingClients, 'producerConnections'>;
  /** brokerIP1 and the remoting port: the store host of offsetMsgIds. */
  storeHost: HostAddress;
}

/**
 * CHECK_TRANSACTION_STATE (39), oneway to one live 4.x connection of the half message's producer
 * group (PGROUP; for records without it, the group the send named), rotating by `turn`
 * (Broker2Client.checkProducerTransactionState). Header as RocketMQ's check listener fills it:
 * msgId and the body's UNIQ_KEY are the message id, transactionId is ours (the half's log offset,
 * which the producer echoes in its END_TRANSACTION). The body is the half message as a MessageExt
 * in its real topic, with TRAN_MSG and PGROUP. False when no such connection is open.
 */
export function sendCheckTransaction(deps: CheckBackDeps, half: HalfEntry, record: StoreRecord, halfLogOffset: number, turn: number): boolean {
  const group = producerGroupOf(record) ?? half.producerClientId;
  if (!group) return false;
  const conns = deps.clients.producerConnections(group);
  if (conns.length === 0) return false;
  const offsetMsgId = createOffsetMsgId(deps.storeHost.ip, deps.storeHost.port, halfLogOffset);
  const extra = { [P.TRANSACTION_PREPARED]: 'true', [P.PRODUCER_GROUP]: group, [P.REAL_TOPIC]: half.topic, [P.REAL_QUEUE_ID]: '0' };
  const ext = { ...toMessageExt(record, deps.storeHost, extra), topic: half.topic, queueId: 0, sysFlag: MessageSysFlag.TRANSACTION_PREPARED };
  const header = {
    topic: half.topic,
    tranStateTableOffset: String(record.queueOffset),
    commitLogOffset: String(halfLogOffset),
    msgId: record.messageId,
    transactionId: transactionIdOf(halfLogOffset),
    offsetMsgId,
  };
  for (let i = 0; i < conns.length; i++) {
    const conn = conns[(turn + i) % conns.length];
    if (!conn || conn.closed) continue;
    try {
      conn.invokeOneway(createRequest(RequestCode.CHECK_TRANSACTION_STATE, header, encodeMessageExts([ext])));
      return true;
    } catch {
      // Closed between the check and the write: try the next connection.
    }
  }
  return false;
}
