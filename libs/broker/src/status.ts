import { type ErrorCode, ERROR_TABLE, toOrbitError, type v2 } from '@orbitmq/protocol';

/**
 * RocketMQ v2 responses carry business errors as a Status inside an OK gRPC response (as the
 * proxy does); a gRPC error would reach the application as a raw ServiceError and bypass the
 * client's own handling. Always an explicit code: a Status with code 0 fails every client call.
 */
export const OK_STATUS: v2.Status = { code: 'OK', message: 'OK' };

export function statusOf(code: ErrorCode, message: string): v2.Status {
  return { code: ERROR_TABLE[code].rocketmqCode as v2.Code, message };
}

export function statusFromError(err: unknown): v2.Status {
  const e = toOrbitError(err);
  return statusOf(e.code, e.message);
}
