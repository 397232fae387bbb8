/**
 * Storage error codes. Every error the store throws carries one of these; the protocol lib's
 * error table maps each to a gRPC status and a client-facing code, so keep the names stable.
 */
export const StorageErrorCode = {
  /** Another process (or another open in this process) holds the store directory. */
  STORE_LOCKED: 'STORE_LOCKED',
  /** The store is not open (never opened, closing, or closed). */
  STORE_NOT_OPEN: 'STORE_NOT_OPEN',
  /** An argument is out of range or malformed; the message names which. */
  ILLEGAL_ARGUMENT: 'ILLEGAL_ARGUMENT',
  /** A record (header + topic + properties + body) exceeds maxRecordBytes. */
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  /** Disk use is at or above diskFullRatio; appends are refused until retention frees space. */
  DISK_FULL: 'DISK_FULL',
  /** The append queue is at its limit; the caller should back off and retry. */
  APPEND_QUEUE_FULL: 'APPEND_QUEUE_FULL',
  /** The requested offset is below the oldest retained data (deleted by retention). */
  OFFSET_TOO_SMALL: 'OFFSET_TOO_SMALL',
  /** The requested offset is at or beyond the end of the written data. */
  OFFSET_OVERFLOW: 'OFFSET_OVERFLOW',
  /** Bytes read back fail their magic, size or CRC check. */
  CORRUPT_RECORD: 'CORRUPT_RECORD',
  /** A replicated chunk does not start at the local end or is not whole, valid records. */
  REPLICA_OFFSET_MISMATCH: 'REPLICA_OFFSET_MISMATCH',
  /** The store configuration is invalid; the message names key and value. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** An operating-system I/O call failed; the cause is attached. */
  IO_ERROR: 'IO_ERROR',
} as const;

export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

export class StorageError extends Error {
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

/** Paired-assertion helper: invariants that, if broken, mean a bug in the store itself. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`storage invariant violated: ${message}`);
}

export function assertSafeOffset(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, `${what} must be a non-negative safe integer, got ${value}`);
  }
}
