import type { AclGuard } from '@orbitmq/acl';
import { toOrbitError } from '@orbitmq/protocol';
import {
  BufferPool,
  type HostAddress,
  RemotingServer,
  RequestCode,
  type RemotingCommand,
  type RemotingConnection,
  decodeOffsetMsgId,
  formatIp,
  hostAddress,
  offsetMsgIdFormatter,
  splitHostPort,
} from '@orbitmq/remoting';
import type { LongPollHub } from '../consume';
import type { SubscriptionFilters } from '../filter';
import type { GroupManager, TopicManager } from '../meta';
import type { SendHandler } from '../send';
import type { StorePort, StoreRecord } from '../store-port';
import type { TransactionService } from '../transaction';
import type { HalfEntry } from '../transaction/transaction-index';
import { processCheckClientConfig, processConsumerList, processHeartbeat, processUnregister } from './client-processor';
import { processLockBatch, processUnlockBatch } from './lock-processor';
import { processOffset } from './offset-processor';
import { REMOTING_PULL_LIMITS, processPull } from './pull-processor';
import { QueueLocks } from './queue-locks';
import { RemotingClients } from './remoting-clients';
import { processSendBack } from './retry-processor';
import { processSend } from './send-processor';
import { processEndTransaction, sendCheckTransaction } from './transaction-processor';
import { processViewMessageById } from './view-processor';
import { errorResponse } from './remoting-headers';

export interface BrokerRemotingDeps {
  send: SendHandler;
  store: StorePort;
  topics: TopicManager;
  groups: GroupManager;
  hub: LongPollHub;
  filters: SubscriptionFilters;
  transactions: TransactionService;
  /** This broker's internal endpoint ("brokerIP1:listenPort"), where remoting is served. */
  internalEndpoint: string;
  delayLevelsMs: readonly number[];
  /** False on a replica: it serves reads, stores no commits, creates no topics. */
  writable: boolean;
  /** Registers with the name servers now (a heartbeat created a retry topic clients must route). */
  publishRoutes?: () => void;
  /** Told of every request: "remoting:<REQUEST_CODE_NAME>", "OK" or the response code, its duration. */
  observe?: (method: string, code: string, durationMs: number) => void;
  /** aclEnable: each request's AccessKey/Signature and permissions, checked before its processor. */
  acl?: AclGuard | undefined;
}

/**
 * The ACL's refusal as a response (NO_PERMISSION with the reason), held first when the caller's IP
 * keeps failing authentication; undefined to go on.
 */
function aclRefused(acl: AclGuard | undefined, cmd: RemotingCommand, conn: RemotingConnection): Promise<RemotingCommand> | undefined {
  if (!acl) return undefined;
  try {
    acl.checkRemoting(cmd, conn.remoteAddress);
    return undefined;
  } catch (e) {
    return new Promise((resolve) => {
      const entry: HeldRefusal = { withdraw: () => undefined, answered: false };
      entry.withdraw = acl.answerRefusal(e, conn.remoteAddress, () => {
        entry.answered = true;
        heldRefusals.get(conn)?.delete(entry);
        resolve(errorResponse(cmd, toOrbitError(e)));
      });
      if (!entry.answered) holdUntilClosed(conn, entry);
    });
  }
}

interface HeldRefusal {
  withdraw: () => void;
  answered: boolean;
}

/**
 * Refusals held per connection, withdrawn when it closes: a 4.x client cannot cancel one request,
 * so a closed connection is how a held refusal learns nobody waits for it (see FailureDelay.refuse).
 */
const heldRefusals = new WeakMap<RemotingConnection, Set<HeldRefusal>>();

function holdUntilClosed(conn: RemotingConnection, entry: HeldRefusal): void {
  let held = heldRefusals.get(conn);
  if (!held) {
    const set = new Set<HeldRefusal>();
    heldRefusals.set(conn, set);
    conn.once('close', () => {
      for (const e of set) e.withdraw();
      set.clear();
    });
    held = set;
  }
  held.add(entry);
}

const REQUEST_NAMES = new Map<number, string>(Object.entries(RequestCode).map(([name, code]) => [code, name]));

/** How often silent 4.x clients are looked for. */
const CLIENT_SWEEP_INTERVAL_MS = 10_000;

/**
 * The broker's RocketMQ 4.x remoting processors, by request code (RocketMQ's
 * BrokerController.registerProcessor). Each maps onto the same broker services as the v5
 * handlers: one store, one set of offsets, topics and groups, whichever protocol a client speaks.
 * The host serves `server` on the internal port next to gRPC (the first bytes decide).
 */
export class BrokerRemoting {
  readonly clients = new RemotingClients();
  /** Orderly consumers' queue locks (41/42). */
  readonly locks = new QueueLocks();
  readonly server: RemotingServer;
  /** brokerIP1 and the remoting port, as offsetMsgIds carry them. */
  readonly storeHost: HostAddress;
  private sweep: NodeJS.Timeout | undefined;
  private checkTurn = 0;

  constructor(deps: BrokerRemotingDeps) {
    const server = new RemotingServer({ responseSerializeType: 'mirror' }); // connections are bounded by the shared listener;
    this.server = server;
    const storeHost = storeHostOf(deps.internalEndpoint);
    this.storeHost = storeHost;
    this.clients.onMemberLeft = (group, clientId) => this.locks.releaseClient(group, clientId);
    const send = { send: deps.send, offsetMsgId: offsetMsgIdFormatter(storeHost.ip, storeHost.port) };
    const buffers = new BufferPool(REMOTING_PULL_LIMITS.bufferChunkBytes, REMOTING_PULL_LIMITS.maxFreeBuffers);
    const pull = { ...deps, clients: this.clients, storeHost, acceptsCommits: deps.writable, buffers };
    const offsets = { ...deps, acceptsCommits: deps.writable };
    const clients = { clients: this.clients, topics: deps.topics, groups: deps.groups, writable: deps.writable, publishRoutes: deps.publishRoutes };
    const on = (
      code: number,
      handle: (cmd: RemotingCommand, conn: Parameters<Parameters<RemotingServer['registerProcessor']>[1]>[1]) => Promise<RemotingCommand> | RemotingCommand,
    ) =>
      server.registerProcessor(code, async (cmd, conn) => {
        const started = performance.now();
        const response = await (aclRefused(deps.acl, cmd, conn) ?? handle(cmd, conn));
        deps.observe?.(`remoting:${REQUEST_NAMES.get(cmd.code) ?? cmd.code}`, response.code === 0 ? 'OK' : String(response.code), performance.now() - started);
        return response;
      });
    on(RequestCode.SEND_MESSAGE, (cmd, conn) => processSend(send, cmd, conn, false, false));
    on(RequestCode.SEND_MESSAGE_V2, (cmd, conn) => processSend(send, cmd, conn, true, false));
    on(RequestCode.SEND_BATCH_MESSAGE, (cmd, conn) => processSend(send, cmd, conn, true, true));
    on(RequestCode.PULL_MESSAGE, (cmd, conn) => processPull(pull, cmd, conn));
    on(RequestCode.LITE_PULL_MESSAGE, (cmd, conn) => processPull(pull, cmd, conn));
    for (const code of [14, 15, 29, 30, 31] as const) on(code, (cmd) => processOffset(offsets, cmd, code));
    on(RequestCode.HEART_BEAT, (cmd, conn) => processHeartbeat(clients, cmd, conn));
    on(RequestCode.UNREGISTER_CLIENT, (cmd) => processUnregister(clients, cmd));
    on(RequestCode.GET_CONSUMER_LIST_BY_GROUP, (cmd) => processConsumerList(clients, cmd));
    on(RequestCode.CONSUMER_SEND_MSG_BACK, (cmd) =>
      processSendBack({ store: deps.store, topics: deps.topics, delayLevelsMs: deps.delayLevelsMs, publishRoutes: deps.publishRoutes }, cmd),
    );
    on(RequestCode.END_TRANSACTION, (cmd) => processEndTransaction({ store: deps.store, transactions: deps.transactions, writable: deps.writable }, cmd));
    on(RequestCode.LOCK_BATCH_MQ, (cmd) => processLockBatch(this.locks, cmd));
    on(RequestCode.UNLOCK_BATCH_MQ, (cmd) => processUnlockBatch(this.locks, cmd));
    on(RequestCode.CHECK_CLIENT_CONFIG, (cmd) => processCheckClientConfig(deps.filters, cmd));
    on(RequestCode.VIEW_MESSAGE_BY_ID, (cmd) => processViewMessageById({ store: deps.store, storeHost }, cmd));
  }

  /**
   * Transaction check-back to a 4.x producer (CHECK_TRANSACTION_STATE): true when one of the
   * half message's producer group is connected over remoting and was sent the check.
   */
  checkTransaction(half: HalfEntry, record: StoreRecord, halfLogOffset: number): boolean {
    this.checkTurn = (this.checkTurn + 1) % 0x7fff_ffff;
    return sendCheckTransaction({ clients: this.clients, storeHost: this.storeHost }, half, record, halfLogOffset, this.checkTurn);
  }

  /** The commit-log offset in an offsetMsgId naming this broker's store host, else undefined. */
  logOffsetOf(offsetMsgId: string): number | undefined {
    let id: ReturnType<typeof decodeOffsetMsgId>;
    try {
      id = decodeOffsetMsgId(offsetMsgId);
    } catch {
      return undefined;
    }
    if (id.port !== this.storeHost.port || id.host !== formatIp(this.storeHost.ip)) return undefined;
    return id.commitLogOffset <= BigInt(Number.MAX_SAFE_INTEGER) && id.commitLogOffset >= 0n ? Number(id.commitLogOffset) : undefined;
  }

  start(): void {
    this.sweep = setInterval(() => {
      this.clients.expire();
      this.locks.expire();
    }, CLIENT_SWEEP_INTERVAL_MS);
    this.sweep.unref();
  }

  async stop(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await this.server.close();
  }
}

/** The store host in offsetMsgIds: brokerIP1 and the remoting port (0.0.0.0 when not an IP). */
function storeHostOf(endpoint: string): HostAddress {
  const { host, port } = splitHostPort(endpoint);
  try {
    return hostAddress(host, port);
  } catch {
    return { ip: Buffer.alloc(4), port };
  }
}
