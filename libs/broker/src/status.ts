import { type ErrorCode, ERROR_TABLE, toOrbitError, type v2 } from '@orbitmq/protocol';

/**
 * RocketMQ v2 responses carry business errors as a Status inside an OK gRPC response (as the
 * proxy does); a gRPC error would reach the application as a raw ServiceError and bypass the
 * client's own handling. Always an explicit code: a Status with code 0 fails every client call.
 */
export const OK_STATUS: v2.Status = { code: 'OK', message: 'OK' };

/**
 * The error table's name rides along with each Status (under a symbol, so no encoder sees it):
 * RocketMQ's numeric codes are shared by several names (42900 is TOO_MANY_REQUESTS and
 * APPEND_QUEUE_FULL), so a number cannot be mapped back to the name metrics should carry.
 */
const ERROR_CODE = Symbol('orbitmq.errorCode');

type NamedStatus = v2.Status & { [ERROR_CODE]?: ErrorCode };

export function statusOf(code: ErrorCode, message: string): v2.Status {
  const status: NamedStatus = { code: ERROR_TABLE[code].rocketmqCode as v2.Code, message };
  status[ERROR_CODE] = code;
  return status;
}

/** The error table's name of a status made by statusOf(); 'OK' for success. */
export function codeNameOf(status: v2.Status | null | undefined): string {
  if (!status || status.code === 'OK' || status.code === 20000) return 'OK';
  return (status as NamedStatus)[ERROR_CODE] ?? String(status.code);
}

export function statusFromError(err: unknown): v2.Status {
  const e = toOrbitError(err);
  return statusOf(e.code, e.message);
}
