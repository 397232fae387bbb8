import { status as GrpcStatus } from '@grpc/grpc-js';

/**
 * The one error table. Every failure any OrbitMQ process reports carries one of these codes:
 * handlers pick a code, never a status number. `rocketmqCode` is what goes into an
 * apache.rocketmq.v2 `Status` (clients expect business errors as an OK gRPC response carrying that
 * code); `grpcStatus` is what our internal orbitmq.v1 services return, with the code name in the
 * trailing metadata key ERROR_CODE_METADATA_KEY. `retriable` says whether the same request may
 * succeed later or elsewhere (another broker, after back-off).
 *
 * Storage error codes (libs/storage) appear here under the same names, so a broker maps a
 * StorageError by its `code` without storage knowing about the wire.
 */
export interface ErrorSpec {
  grpcStatus: GrpcStatus;
  rocketmqCode: number;
  retriable: boolean;
  meaning: string;
}

const e = (grpcStatus: GrpcStatus, rocketmqCode: number, retriable: boolean, meaning: string): ErrorSpec => ({ grpcStatus, rocketmqCode, retriable, meaning });
const S = GrpcStatus;

export const ERROR_TABLE = {
  // ------------------------------------------------------------ requests (client's fault)
  BAD_REQUEST: e(S.INVALID_ARGUMENT, 40000, false, 'the request is malformed or a field is out of range'),
  ILLEGAL_ACCESS_POINT: e(S.INVALID_ARGUMENT, 40001, false, 'the endpoint in the request cannot be used'),
  ILLEGAL_TOPIC: e(S.INVALID_ARGUMENT, 40002, false, 'the topic name is empty, too long or has illegal characters'),
  ILLEGAL_CONSUMER_GROUP: e(S.INVALID_ARGUMENT, 40003, false, 'the consumer group name is empty, too long or has illegal characters'),
  ILLEGAL_MESSAGE_TAG: e(S.INVALID_ARGUMENT, 40004, false, 'the tag is empty, too long or contains | or control characters'),
  ILLEGAL_MESSAGE_KEY: e(S.INVALID_ARGUMENT, 40005, false, 'a message key is empty, too long or has illegal characters'),
  ILLEGAL_MESSAGE_GROUP: e(S.INVALID_ARGUMENT, 40006, false, 'the message group is empty, too long or has illegal characters'),
  ILLEGAL_MESSAGE_PROPERTY_KEY: e(S.INVALID_ARGUMENT, 40007, false, 'a user property key is reserved or illegal'),
  INVALID_TRANSACTION_ID: e(S.INVALID_ARGUMENT, 40008, false, 'the transaction id is unknown or already resolved'),
  ILLEGAL_MESSAGE_ID: e(S.INVALID_ARGUMENT, 40009, false, 'the message id is missing or malformed'),
  ILLEGAL_FILTER_EXPRESSION: e(S.INVALID_ARGUMENT, 40010, false, 'the tag or SQL92 filter expression does not parse'),
  ILLEGAL_INVISIBLE_TIME: e(S.INVALID_ARGUMENT, 40011, false, 'the invisible duration is out of range'),
  ILLEGAL_DELIVERY_TIME: e(S.INVALID_ARGUMENT, 40012, false, 'the delivery time is in the past beyond tolerance or beyond the maximum delay'),
  INVALID_RECEIPT_HANDLE: e(S.INVALID_ARGUMENT, 40013, false, 'the receipt handle is malformed, expired or superseded'),
  MESSAGE_PROPERTY_CONFLICT_WITH_TYPE: e(S.INVALID_ARGUMENT, 40014, false, 'the message type does not match what the topic accepts'),
  UNRECOGNIZED_CLIENT_TYPE: e(S.INVALID_ARGUMENT, 40015, false, 'the client type is missing or unknown'),
  MESSAGE_CORRUPTED: e(S.INVALID_ARGUMENT, 40016, false, 'the message body does not match its digest'),
  CLIENT_ID_REQUIRED: e(S.INVALID_ARGUMENT, 40017, false, 'the x-mq-client-id header is missing'),
  ILLEGAL_POLLING_TIME: e(S.INVALID_ARGUMENT, 40018, false, 'the long-polling time is out of range'),
  ILLEGAL_OFFSET: e(S.OUT_OF_RANGE, 40019, false, 'the queue offset is outside the retained range'),
  UNAUTHORIZED: e(S.UNAUTHENTICATED, 40100, false, 'credentials are missing or wrong'),
  FORBIDDEN: e(S.PERMISSION_DENIED, 40300, false, 'the operation is not permitted (topic or broker permission)'),
  NOT_FOUND: e(S.NOT_FOUND, 40400, false, 'the requested resource does not exist'),
  MESSAGE_NOT_FOUND: e(S.NOT_FOUND, 40401, false, 'no message matches'),
  TOPIC_NOT_FOUND: e(S.NOT_FOUND, 40402, false, 'the topic does not exist (and auto-creation is off)'),
  CONSUMER_GROUP_NOT_FOUND: e(S.NOT_FOUND, 40403, false, 'the consumer group does not exist (and auto-creation is off)'),
  BROKER_NOT_FOUND: e(S.NOT_FOUND, 40400, false, 'no such broker is registered'),
  OFFSET_NOT_FOUND: e(S.NOT_FOUND, 40404, false, 'the group has no committed offset for this queue'),
  MESSAGE_BODY_TOO_LARGE: e(S.INVALID_ARGUMENT, 41301, false, 'the message body exceeds maxMessageSize'),
  MESSAGE_BODY_EMPTY: e(S.INVALID_ARGUMENT, 41302, false, 'the message body is empty'),
  MESSAGE_PROPERTIES_TOO_LARGE: e(S.INVALID_ARGUMENT, 43101, false, 'user properties exceed their size limit'),
  // ------------------------------------------------------------ load and availability
  TOO_MANY_REQUESTS: e(S.RESOURCE_EXHAUSTED, 42900, true, 'the broker is busy (a bounded queue is full); back off and retry'),
  FILTER_SERVER_UNAVAILABLE: e(S.UNAVAILABLE, 50400, true, 'no filter server could evaluate the SQL92 subscription (filterServerFallback=reject); retry later'),
  HA_NOT_AVAILABLE: e(S.UNAVAILABLE, 50002, true, 'no replica is in sync (SYNC_MASTER)'),
  MASTER_PERSISTENCE_TIMEOUT: e(S.DEADLINE_EXCEEDED, 50401, true, 'the master did not flush in time'),
  SLAVE_PERSISTENCE_TIMEOUT: e(S.DEADLINE_EXCEEDED, 50402, true, 'the replica did not acknowledge in time'),
  SERVICE_UNAVAILABLE: e(S.UNAVAILABLE, 50001, true, 'the process is starting, stopping or not serving this request now'),
  // ------------------------------------------------------------ server faults
  INTERNAL_ERROR: e(S.INTERNAL, 50000, true, 'an unexpected server error; details are in the server log'),
  NOT_IMPLEMENTED: e(S.UNIMPLEMENTED, 50100, false, 'this RPC is not implemented by this server'),
  UNSUPPORTED: e(S.UNIMPLEMENTED, 50500, false, 'the request asks for something this server does not support'),
  // ------------------------------------------------------------ storage (same names as StorageErrorCode)
  STORE_LOCKED: e(S.FAILED_PRECONDITION, 50001, false, 'another process holds the store directory'),
  STORE_NOT_OPEN: e(S.UNAVAILABLE, 50001, true, 'the store is not open (starting or stopping)'),
  ILLEGAL_ARGUMENT: e(S.INVALID_ARGUMENT, 40000, false, 'an argument is out of range or malformed'),
  MESSAGE_TOO_LARGE: e(S.INVALID_ARGUMENT, 41301, false, 'the stored record would exceed maxRecordBytes'),
  // 40300 FORBIDDEN, as RocketMQ answers a send to a broker that is not writable (NO_PERMISSION through
  // the proxy): clients isolate this broker and send elsewhere at once. Retriable there, or here later.
  DISK_FULL: e(S.RESOURCE_EXHAUSTED, 40300, true, 'the broker disk is nearly full: it refuses writes and registers read-only until space is freed'),
  APPEND_QUEUE_FULL: e(S.RESOURCE_EXHAUSTED, 42900, true, 'the commit-log append queue is full; back off and retry'),
  OFFSET_TOO_SMALL: e(S.OUT_OF_RANGE, 40019, false, 'the offset is below the oldest retained data'),
  OFFSET_OVERFLOW: e(S.OUT_OF_RANGE, 40019, false, 'the offset is past the end of the data'),
  CORRUPT_RECORD: e(S.DATA_LOSS, 50000, false, 'stored bytes fail verification; restore from a replica'),
  REPLICA_OFFSET_MISMATCH: e(S.FAILED_PRECONDITION, 50000, false, 'replicated bytes do not continue the local log'),
  // ------------------------------------------------------------ replication (orbitmq.v1.Replication)
  REPLICA_IDENTITY_MISMATCH: e(S.FAILED_PRECONDITION, 50000, false, 'the replica does not belong to this master (cluster, name, id, segment size or store)'),
  REPLICA_DIVERGED: e(
    S.FAILED_PRECONDITION,
    50000,
    false,
    'the replica log is not a prefix of the master log and cannot be cut without losing confirmed records',
  ),
  REPLICA_TIMEOUT: e(S.UNAVAILABLE, 50002, true, 'the replication peer sent nothing within the housekeeping interval'),
  INVALID_CONFIG: e(S.INVALID_ARGUMENT, 40000, false, 'a configuration value is invalid'),
  IO_ERROR: e(S.INTERNAL, 50000, true, 'an operating-system I/O call failed'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** Trailing-metadata key carrying the error code on internal RPC failures. */
export const ERROR_CODE_METADATA_KEY = 'x-orbitmq-error-code';

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_TABLE, code);
}

export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_TABLE[code];
}

/** An error with a code from the table; what every OrbitMQ service throws and returns. */
export class OrbitError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OrbitError';
  }

  get spec(): ErrorSpec {
    return ERROR_TABLE[this.code];
  }
}

/**
 * Maps anything thrown to a table code: OrbitErrors keep theirs, errors whose `code` names a table
 * entry (StorageError) keep it, everything else is INTERNAL_ERROR.
 */
export function toOrbitError(err: unknown): OrbitError {
  if (err instanceof OrbitError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return new OrbitError(isErrorCode(code) ? code : 'INTERNAL_ERROR', message, { cause: err });
}

/**
 * RocketMQ 4.x remoting response codes (ResponseCode.java) for the table's codes, where 4.x has
 * a more specific one than SYSTEM_ERROR (1). Clients act on these: 17 makes a producer refresh
 * its route, 2 and 11/12 are retried, 16 is reported to the application.
 */
const REMOTING_RESPONSE_CODES: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 13,
  ILLEGAL_TOPIC: 13,
  ILLEGAL_MESSAGE_TAG: 13,
  ILLEGAL_MESSAGE_KEY: 13,
  ILLEGAL_MESSAGE_GROUP: 13,
  ILLEGAL_MESSAGE_PROPERTY_KEY: 13,
  ILLEGAL_MESSAGE_ID: 13,
  ILLEGAL_DELIVERY_TIME: 13,
  MESSAGE_PROPERTY_CONFLICT_WITH_TYPE: 13,
  MESSAGE_BODY_TOO_LARGE: 13,
  MESSAGE_BODY_EMPTY: 13,
  MESSAGE_PROPERTIES_TOO_LARGE: 13,
  MESSAGE_TOO_LARGE: 13,
  ILLEGAL_CONSUMER_GROUP: 29,
  ILLEGAL_OFFSET: 29,
  ILLEGAL_ARGUMENT: 29,
  ILLEGAL_FILTER_EXPRESSION: 23,
  UNAUTHORIZED: 16,
  FORBIDDEN: 16,
  TOPIC_NOT_FOUND: 17,
  CONSUMER_GROUP_NOT_FOUND: 26,
  OFFSET_NOT_FOUND: 22,
  TOO_MANY_REQUESTS: 2,
  APPEND_QUEUE_FULL: 2,
  HA_NOT_AVAILABLE: 11,
  SLAVE_PERSISTENCE_TIMEOUT: 12,
  MASTER_PERSISTENCE_TIMEOUT: 10,
  SERVICE_UNAVAILABLE: 14,
  DISK_FULL: 14,
  STORE_NOT_OPEN: 14,
  FILTER_SERVER_UNAVAILABLE: 14,
  NOT_IMPLEMENTED: 3,
  UNSUPPORTED: 3,
};

/** The remoting response code for a table code (SYSTEM_ERROR, 1, where 4.x has none closer). */
export function remotingResponseCode(code: ErrorCode): number {
  return REMOTING_RESPONSE_CODES[code] ?? 1;
}
