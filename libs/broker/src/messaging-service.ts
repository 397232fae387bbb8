import type * as grpc from '@grpc/grpc-js';
import { ERROR_TABLE, type v2 } from '@orbitmq/protocol';
import type { AckHandler } from './ack-handler';
import type { BrokerMetrics } from './broker-metrics';
import type { ClientRegistry, ClientType } from './client-registry';
import type { GroupManager } from './group-manager';
import type { OffsetHandler } from './offset-handler';
import type { ReceiveHandler } from './receive-handler';
import type { RouteResolver } from './route-resolver';
import type { SendHandler } from './send-handler';
import { OK_STATUS, statusFromError, statusOf } from './status';
import { type TelemetryHandler, clientIdOf } from './telemetry-handler';
import type { TransactionService } from './transaction-service';

export interface MessagingParts {
  routes: RouteResolver;
  send: SendHandler;
  receive: ReceiveHandler;
  acks: AckHandler;
  telemetry: TelemetryHandler;
  clients: ClientRegistry;
  metrics: BrokerMetrics;
  groups: GroupManager;
  offsets: OffsetHandler;
  transactions: TransactionService;
}

const CODE_NAME = new Map<number, string>(Object.entries(ERROR_TABLE).map(([name, spec]) => [spec.rocketmqCode, name]));

function codeName(status: v2.Status | null | undefined): string {
  if (!status) return 'OK';
  if (status.code === 'OK' || status.code === 20000) return 'OK';
  return typeof status.code === 'number' ? (CODE_NAME.get(status.code) ?? String(status.code)) : String(status.code);
}

/**
 * A unary RocketMQ v2 handler: always a gRPC OK carrying a Status (business errors included),
 * timed and counted by method and result code.
 */
function v2unary<Req, Res extends { status?: v2.Status | null }>(
  method: string,
  metrics: BrokerMetrics,
  fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res,
  onError: (status: v2.Status) => Res,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const stop = metrics.latency.startTimer({ method });
    Promise.resolve()
      .then(() => fn(call.request, call))
      .catch((err: unknown) => onError(statusFromError(err)))
      .then((res) => {
        stop();
        metrics.requests.inc({ method, code: codeName(res.status) });
        callback(null, res);
      });
  };
}

function unsupported(what: string): v2.Status {
  return statusOf('UNSUPPORTED', `${what} is not supported by this broker version yet`);
}

/** apache.rocketmq.v2.MessagingService: each RPC delegates to the handler that owns it. */
export function messagingService(p: MessagingParts): v2.MessagingServiceHandlers {
  const m = p.metrics;
  const touch = (call: grpc.ServerUnaryCall<unknown, unknown>, patch: Parameters<ClientRegistry['touch']>[1]) => {
    const id = call.metadata.get('x-mq-client-id')[0];
    if (typeof id === 'string' && id) p.clients.touch(id, patch);
  };
  return {
    QueryRoute: v2unary('QueryRoute', m, (req: v2.QueryRouteRequest__Output) => p.routes.queryRoute(req), (status) => ({ status, messageQueues: [] })),
    Heartbeat: v2unary(
      'Heartbeat',
      m,
      (req: v2.HeartbeatRequest__Output, call) => {
        clientIdOf(call.metadata);
        touch(call, { clientType: (req.clientType ?? 'UNKNOWN') as ClientType, ...(req.group?.name ? { group: req.group.name } : {}) });
        return { status: OK_STATUS };
      },
      (status) => ({ status }),
    ),
    SendMessage: v2unary(
      'SendMessage',
      m,
      (req: v2.SendMessageRequest__Output, call) => {
        touch(call, { topics: req.messages.map((x) => x.topic?.name ?? '').filter(Boolean) });
        const id = call.metadata.get('x-mq-client-id')[0];
        return p.send.handle(req, typeof id === 'string' ? id : '');
      },
      (status) => ({ status, entries: [] }),
    ),
    ReceiveMessage: (call) => {
      const stop = m.latency.startTimer({ method: 'ReceiveMessage' });
      const write = call.write.bind(call);
      let code = 'OK';
      call.write = ((frame: v2.ReceiveMessageResponse) => {
        if (frame.status) code = codeName(frame.status);
        return write(frame);
      }) as typeof call.write;
      call.once('finish', () => {
        stop();
        m.requests.inc({ method: 'ReceiveMessage', code });
      });
      p.receive.handle(call);
    },
    AckMessage: v2unary('AckMessage', m, (req: v2.AckMessageRequest__Output) => p.acks.ack(req), (status) => ({ status, entries: [] })),
    ChangeInvisibleDuration: v2unary(
      'ChangeInvisibleDuration',
      m,
      (req: v2.ChangeInvisibleDurationRequest__Output) => p.acks.changeInvisible(req),
      (status) => ({ status, receiptHandle: '' }),
    ),
    Telemetry: (call) => p.telemetry.handle(call),
    NotifyClientTermination: v2unary(
      'NotifyClientTermination',
      m,
      (_req: v2.NotifyClientTerminationRequest__Output, call) => {
        p.clients.remove(clientIdOf(call.metadata));
        return { status: OK_STATUS };
      },
      (status) => ({ status }),
    ),
    QueryAssignment: v2unary(
      'QueryAssignment',
      m,
      async (req: v2.QueryAssignmentRequest__Output) => {
        if (req.group?.name) await p.groups.ensure(req.group.name);
        return p.routes.queryAssignment(req);
      },
      (status) => ({ status, assignments: [] }),
    ),
    ForwardMessageToDeadLetterQueue: v2unary(
      'ForwardMessageToDeadLetterQueue',
      m,
      (req: v2.ForwardMessageToDeadLetterQueueRequest__Output) => p.acks.forwardToDeadLetter(req),
      (status) => ({ status }),
    ),
    EndTransaction: v2unary(
      'EndTransaction',
      m,
      async (req: v2.EndTransactionRequest__Output) => {
        await p.transactions.end(req);
        return { status: OK_STATUS };
      },
      (status) => ({ status }),
    ),
    UpdateOffset: v2unary('UpdateOffset', m, (req: v2.UpdateOffsetRequest__Output) => p.offsets.updateOffset(req), (status) => ({ status })),
    GetOffset: v2unary('GetOffset', m, (req: v2.GetOffsetRequest__Output) => p.offsets.getOffset(req), (status) => ({ status, offset: '0' })),
    QueryOffset: v2unary('QueryOffset', m, (req: v2.QueryOffsetRequest__Output) => p.offsets.queryOffset(req), (status) => ({ status, offset: '0' })),
    RecallMessage: v2unary('RecallMessage', m, () => ({ status: unsupported('RecallMessage') }), (status) => ({ status })),
    SyncLiteSubscription: v2unary('SyncLiteSubscription', m, () => ({ status: unsupported('SyncLiteSubscription') }), (status) => ({ status })),
    PullMessage: (call) => p.offsets.pull(call),
  };
}
