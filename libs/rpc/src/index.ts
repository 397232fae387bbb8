/** @orbitmq/rpc — gRPC servers that bind and drain, clients with deadlines and coded retries. */
export { startGrpcServer, type RunningServer, type ServiceBinding } from './server';
export { createClient, callUnary, type CallOptions } from './client';
export { unary, type CallObserver } from './unary';
export { toServiceError, fromServiceError, isRetriable } from './errors';
export { CHANNEL_OPTIONS, MAX_GRPC_MESSAGE_BYTES, DEFAULT_DEADLINE_MS } from './limits';
