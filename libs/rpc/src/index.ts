/** @orbitmq/rpc — gRPC servers that bind and drain, clients with deadlines and coded retries. */
export { startGrpcServer, type RunningServer, type ServerOptions, type ServiceBinding } from './server';
export {
  DEFAULT_CONNECTION_LIMITS,
  type ConnectionCloseReason,
  type ConnectionEvent,
  type ConnectionLimits,
  type ConnectionObserver,
} from './connection-guard';
export { createClient, callUnary, channelCredentials, useClientTls, type CallOptions, type ClientTls } from './client';
export { unary, type CallObserver } from './unary';
export { toServiceError, fromServiceError, isRetriable } from './errors';
export { CHANNEL_OPTIONS, MAX_GRPC_MESSAGE_BYTES, DEFAULT_DEADLINE_MS } from './limits';
export { type ServerTls, type TlsMode, TlsTerminator } from './tls';
export { CLUSTER_METHODS, clusterAuthOptions, clusterAuthProblem, guardHandlers, useClusterSecret } from './cluster-auth';
export { READ_BRAKE_MAX_CONNECTIONS, READ_BRAKE_MAX_PAUSE_MS, type ConnectBrake, type ReadBrakeStats, ReadBrakes } from './read-brake';
