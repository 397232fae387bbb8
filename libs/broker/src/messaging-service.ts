import type * as grpc from '@grpc/grpc-js';
import { performance } from 'node:perf_hooks';
import { type DecodedMessage, assertDecoded, toOrbitError, undecodableError, type v2 } from '@orbitmq/protocol';
import { type AclGuard, answerCallRefusal } from '@orbitmq/acl';
import type { BrokerEvents } from './events';
import { type ClientRegistry, type ClientType, type TelemetryHandler, clientIdOf } from './clients';
import type { GroupManager } from './meta';
import type { AckHandler, OffsetHandler, PullHandler, ReceiveHandler } from './consume';
import type { RouteResolver } from './route';
import type { SendHandler } from './send';
import { OK_STATUS, codeNameOf, statusFromError, statusOf } from './status';
import type { TransactionService } from './transaction';

export interface MessagingParts {
  routes: RouteResolver;
  send: SendHandler;
  receive: ReceiveHandler;
  acks: AckHandler;
  telemetry: TelemetryHandler;
  clients: ClientRegistry;
  events: BrokerEvents;
  groups: GroupManager;
  offsets: OffsetHandler;
  pull: PullHandler;
  transactions: TransactionService;
  /** aclEnable: every request's credentials and permissions are checked before its handler runs. */
  acl?: AclGuard | undefined;
}

/** What every handler wrapper needs: where to report, and the ACL (if on). */
type HandlerContext = Pick<MessagingParts, 'events' | 'acl'>;

/**
 * A unary RocketMQ v2 handler: always a gRPC OK carrying a Status (business errors included),
 * timed and counted by method and result code. A request refused while decoding (invalid UTF-8,
 * see @orbitmq/protocol's utf8-check) is answered the same way, with the code it carries.
 */
function v2unary<Req, Res extends { status?: v2.Status | null }>(
  method: string,
  { events, acl }: HandlerContext,
  fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res,
  onError: (status: v2.Status, req: Req) => Res,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const startMs = performance.now();
    Promise.resolve()
      .then(() => {
        assertDecoded(call.request);
        try {
          acl?.checkV2(method, call.request, call.metadata, call.getPeer());
        } catch (refused) {
          return refusedLater(acl, refused, call);
        }
        return fn(call.request, call);
      })
      .catch((err: unknown) => onError(statusFromError(err), call.request))
      .then((res) => {
        events.emit('request', { method, code: codeNameOf(res.status), durationMs: performance.now() - startMs });
        callback(null, res);
      });
  };
}

/**
 * A server-streaming v2 handler (receive, pull): the status frame written decides the result
 * code; the request event fires when the call finishes.
 */
function streamed<Req, Res extends { status?: v2.Status | null }>(
  method: string,
  { events, acl }: HandlerContext,
  fn: (call: grpc.ServerWritableStream<Req, Res>) => void,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const startMs = performance.now();
    const write = call.write.bind(call);
    let code = 'OK';
    call.write = ((frame: Res) => {
      if (frame.status) code = codeNameOf(frame.status);
      return write(frame);
    }) as typeof call.write;
    call.once('finish', () => events.emit('request', { method, code, durationMs: performance.now() - startMs }));
    const undecodable = undecodableError(call.request);
    const refused = undecodable ?? aclRefusal(acl, method, call);
    if (refused) {
      const answer = () => {
        call.write({ status: statusFromError(refused) } as Res);
        call.end();
      };
      if (acl && !undecodable) answerCallRefusal(acl, refused, call, answer);
      else answer();
      return;
    }
    fn(call);
  };
}

/**
 * The ACL's refusal as a rejection, held first when the caller's IP keeps failing authentication
 * (never past the call's deadline); dropped if the call is cancelled while held (the promise then never settles, and nothing waits on it).
 */
function refusedLater(acl: AclGuard | undefined, refused: unknown, call: grpc.ServerUnaryCall<unknown, unknown>): Promise<never> {
  if (!acl) return Promise.reject(refused);
  return new Promise((_, reject) => answerCallRefusal(acl, refused, call, () => reject(refused)));
}

function aclRefusal(acl: AclGuard | undefined, method: string, call: grpc.ServerWritableStream<unknown, unknown>): Error | undefined {
  try {
    acl?.checkV2(method, call.request, call.metadata, call.getPeer());
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

function unsupported(what: string): v2.Status {
  return statusOf('UNSUPPORTED', `${what} is not supported by this broker version yet`);
}

/** apache.rocketmq.v2.MessagingService: each RPC delegates to the handler that owns it. */
export function messagingService(p: MessagingParts): v2.MessagingServiceHandlers {
  return { ...clientHandlers(p), ...sendHandlers(p), ...consumeHandlers(p), ...offsetHandlers(p) } as v2.MessagingServiceHandlers;
}

type Handlers = Partial<v2.MessagingServiceHandlers>;

function touch(p: MessagingParts, call: grpc.ServerUnaryCall<unknown, unknown>, patch: Parameters<ClientRegistry['touch']>[1]): void {
  const id = call.metadata.get('x-mq-client-id')[0];
  if (typeof id === 'string' && id) p.clients.touch(id, patch);
}

/** Routes, sessions and telemetry. */
function clientHandlers(p: MessagingParts): Handlers {
  const m: HandlerContext = p;
  return {
    QueryRoute: v2unary(
      'QueryRoute',
      m,
      (req: v2.QueryRouteRequest__Output) => p.routes.queryRoute(req),
      (status) => ({ status, messageQueues: [] }),
    ),
    Heartbeat: v2unary(
      'Heartbeat',
      m,
      (req: v2.HeartbeatRequest__Output, call) => {
        clientIdOf(call.metadata);
        touch(p, call, { clientType: (req.clientType ?? 'UNKNOWN') as ClientType, ...(req.group?.name ? { group: req.group.name } : {}) });
        return { status: OK_STATUS };
      },
      (status) => ({ status }),
    ),
    Telemetry: (call) => {
      const refused = aclRefusal(p.acl, 'Telemetry', call as never);
      if (!refused) return p.telemetry.handle(call);
      // grpc-js ends a stream with the status of an 'error' it emits.
      const orbit = toOrbitError(refused);
      const answer = () => call.emit('error', { code: orbit.spec.grpcStatus, details: `${orbit.code}: ${orbit.message}` });
      if (p.acl) answerCallRefusal(p.acl, refused, call, answer);
    },
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
  };
}

/** Sends and transactions. */
function sendHandlers(p: MessagingParts): Handlers {
  const m: HandlerContext = p;
  return {
    SendMessage: v2unary(
      'SendMessage',
      m,
      (req: v2.SendMessageRequest__Output, call) => {
        const named = req.messages.filter((x) => !(x as DecodedMessage).invalidUtf8); // refused below: no repaired name is recorded
        touch(p, call, { topics: named.map((x) => x.topic?.name ?? '').filter(Boolean) });
        const id = call.metadata.get('x-mq-client-id')[0];
        // The peer's ip:port names the connection (the per-connection in-flight bound).
        return p.send.handle(req, typeof id === 'string' ? id : '', call.getPeer());
      },
      // Refused before the handler (undecodable, ACL): still one entry per message, as the handler answers.
      (status, req: v2.SendMessageRequest__Output) => ({
        status,
        entries: (req.messages ?? []).map((x) => ({ status, messageId: x.systemProperties?.messageId ?? '' })),
      }),
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
  };
}

/** Receive/ack, dead letters and pull. */
function consumeHandlers(p: MessagingParts): Handlers {
  const m: HandlerContext = p;
  return {
    ReceiveMessage: streamed('ReceiveMessage', m, (call) => p.receive.handle(call)),
    AckMessage: v2unary(
      'AckMessage',
      m,
      (req: v2.AckMessageRequest__Output) => p.acks.ack(req),
      (status) => ({ status, entries: [] }),
    ),
    ChangeInvisibleDuration: v2unary(
      'ChangeInvisibleDuration',
      m,
      (req: v2.ChangeInvisibleDurationRequest__Output) => p.acks.changeInvisible(req),
      (status) => ({ status, receiptHandle: '' }),
    ),
    ForwardMessageToDeadLetterQueue: v2unary(
      'ForwardMessageToDeadLetterQueue',
      m,
      (req: v2.ForwardMessageToDeadLetterQueueRequest__Output) => p.acks.forwardToDeadLetter(req),
      (status) => ({ status }),
    ),
    PullMessage: streamed('PullMessage', m, (call) => p.pull.handle(call)),
  };
}

/** Offsets, and what this broker does not support yet. */
function offsetHandlers(p: MessagingParts): Handlers {
  const m: HandlerContext = p;
  return {
    UpdateOffset: v2unary(
      'UpdateOffset',
      m,
      (req: v2.UpdateOffsetRequest__Output) => p.offsets.updateOffset(req),
      (status) => ({ status }),
    ),
    GetOffset: v2unary(
      'GetOffset',
      m,
      (req: v2.GetOffsetRequest__Output) => p.offsets.getOffset(req),
      (status) => ({ status, offset: '0' }),
    ),
    QueryOffset: v2unary(
      'QueryOffset',
      m,
      (req: v2.QueryOffsetRequest__Output) => p.offsets.queryOffset(req),
      (status) => ({ status, offset: '0' }),
    ),
    RecallMessage: v2unary(
      'RecallMessage',
      m,
      () => ({ status: unsupported('RecallMessage') }),
      (status) => ({ status }),
    ),
    SyncLiteSubscription: v2unary(
      'SyncLiteSubscription',
      m,
      () => ({ status: unsupported('SyncLiteSubscription') }),
      (status) => ({ status }),
    ),
  };
}
