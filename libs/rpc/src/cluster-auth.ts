import { createHmac, timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { OrbitError } from '@orbitmq/protocol';
import { toServiceError } from './errors';

/*
 * The internal plane's credential: brokers, replicas, name servers and filter servers of one
 * cluster share `clusterSecret`, and every internal call carries
 *   x-orbitmq-cluster-time:      the caller's clock, ms since the epoch
 *   x-orbitmq-cluster-signature: hex HMAC-SHA256(clusterSecret, "<method path>\n<time>")
 * so a process without the secret cannot register a broker, follow a master or serve filtering.
 * The method is signed so a captured header cannot be replayed against another call; the time
 * bounds replays of the same call (CLUSTER_AUTH_MAX_SKEW_MS).
 */

const TIME_KEY = 'x-orbitmq-cluster-time';
const SIGNATURE_KEY = 'x-orbitmq-cluster-signature';
export const CLUSTER_AUTH_MAX_SKEW_MS = 300_000;

/** The internal calls a server refuses without the cluster credential (when it has one). */
export const CLUSTER_METHODS: ReadonlySet<string> = new Set([
  '/orbitmq.v1.NameServer/RegisterBroker',
  '/orbitmq.v1.NameServer/UnregisterBroker',
  // Drops a topic's routes from this name server: only cluster members (no client or tool calls it).
  '/orbitmq.v1.NameServer/DeleteTopic',
  '/orbitmq.v1.Replication/Follow',
  '/orbitmq.v1.FilterService/Match',
  '/orbitmq.v1.FilterServerRegistry/Register',
  '/orbitmq.v1.FilterServerRegistry/Unregister',
]);

function sign(secret: string, method: string, timeMs: string): string {
  return createHmac('sha256', secret).update(`${method}\n${timeMs}`).digest('hex');
}

let clusterSecret = '';

/** Every client this process creates afterwards signs its calls with the secret ('' = none). */
export function useClusterSecret(secret: string): void {
  clusterSecret = secret;
}

/** Channel options adding the signing interceptor (empty when no secret is set). */
export function clusterAuthOptions(): grpc.ChannelOptions {
  if (!clusterSecret) return {};
  const secret = clusterSecret;
  const interceptor: grpc.Interceptor = (options, next) =>
    new grpc.InterceptingCall(next(options), {
      start: (metadata, listener, nextStart) => {
        const timeMs = String(Date.now());
        metadata.set(TIME_KEY, timeMs);
        metadata.set(SIGNATURE_KEY, sign(secret, options.method_definition.path, timeMs));
        nextStart(metadata, listener);
      },
    });
  return { interceptors: [interceptor] } as grpc.ChannelOptions;
}

/** Why a call lacks a valid cluster credential, or undefined when it has one. */
export function clusterAuthProblem(secret: string, method: string, metadata: grpc.Metadata, nowMs = Date.now()): string | undefined {
  const timeMs = String(metadata.get(TIME_KEY)[0] ?? '');
  const signature = String(metadata.get(SIGNATURE_KEY)[0] ?? '');
  if (!timeMs || !signature) return `${method} needs the cluster credential (clusterSecret), and the call carries none`;
  if (!/^\d{1,15}$/.test(timeMs) || Math.abs(nowMs - Number(timeMs)) > CLUSTER_AUTH_MAX_SKEW_MS) {
    return `${method}: the cluster credential's time is more than ${CLUSTER_AUTH_MAX_SKEW_MS / 1000} s from this server's clock`;
  }
  const want = Buffer.from(sign(secret, method, timeMs));
  const got = Buffer.from(signature);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return `${method}: the cluster credential does not match (another clusterSecret?)`;
  return undefined;
}

type AnyHandler = (call: grpc.ServerUnaryCall<unknown, unknown>, callback?: grpc.sendUnaryData<unknown>) => void;

/**
 * Wraps the handlers `guarded(name)` picks with `check`, which throws to refuse a call (an
 * OrbitError's code travels in the trailer). Unary, streaming and bidi handlers alike.
 * `deliver` may hold a refusal before it is answered (the ACL slows repeated bad credentials).
 */
export function guardHandlers<T extends object>(
  implementation: T,
  guarded: (name: string) => boolean,
  check: (call: grpc.ServerUnaryCall<unknown, unknown>) => void,
  deliver: (error: unknown, call: grpc.ServerUnaryCall<unknown, unknown>, answer: () => void) => void = (_e, _c, answer) => answer(),
): T {
  const out: Record<string, unknown> = { ...(implementation as Record<string, unknown>) };
  for (const [name, handler] of Object.entries(implementation as Record<string, AnyHandler>)) {
    if (!guarded(name)) continue;
    out[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback?: grpc.sendUnaryData<unknown>) => {
      try {
        check(call);
      } catch (e) {
        // A unary call answers through its callback; a stream ends with the status of an 'error'.
        deliver(e, call, () => {
          if (callback) callback(toServiceError(e) as grpc.ServiceError, null);
          else (call as unknown as grpc.ServerWritableStream<unknown, unknown>).emit('error', toServiceError(e));
        });
        return;
      }
      handler(call, callback);
    };
  }
  return out as T;
}

/**
 * The implementation with CLUSTER_METHODS refusing calls without the credential (UNAUTHORIZED);
 * `onPass` is told the peer of each call that carries it.
 */
export function requireClusterAuth(
  definition: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  secret: string,
  onPass: (peer: string) => void = () => undefined,
): grpc.UntypedServiceImplementation {
  const pathOf = (name: string): string => (definition[name] as { path: string } | undefined)?.path ?? '';
  return guardHandlers(
    implementation,
    (name) => CLUSTER_METHODS.has(pathOf(name)),
    (call) => {
      const path = call.getPath();
      const problem = clusterAuthProblem(secret, path, call.metadata);
      if (problem) throw new OrbitError('UNAUTHORIZED', problem);
      onPass(call.getPeer());
    },
  );
}
