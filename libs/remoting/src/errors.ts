// Errors with stable `code` strings, so callers (and tests) branch on codes, not on message text.

/** Why a frame, header, record, batch or id was refused. */
export type RemotingProtocolErrorCode =
  | 'REMOTING_BAD_FRAME'
  | 'REMOTING_FRAME_TOO_LARGE'
  | 'REMOTING_BAD_SERIALIZE_TYPE'
  | 'REMOTING_BAD_HEADER'
  | 'REMOTING_BAD_PROPERTIES'
  | 'REMOTING_BAD_MESSAGE'
  | 'REMOTING_BAD_BATCH'
  | 'REMOTING_BAD_MESSAGE_ID'
  | 'REMOTING_BAD_ADDRESS'
  | 'REMOTING_UNSUPPORTED_COMPRESSION';

/** Bytes on the wire (or values to be encoded) that do not follow the remoting protocol. */
export class RemotingProtocolError extends Error {
  override readonly name = 'RemotingProtocolError';
  constructor(
    readonly code: RemotingProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** No response arrived for `opaque` within `timeoutMs`. */
export class RemotingTimeoutError extends Error {
  override readonly name = 'RemotingTimeoutError';
  readonly code = 'REMOTING_TIMEOUT';
  constructor(
    readonly opaque: number,
    readonly timeoutMs: number,
    readonly remoteAddress: string,
  ) {
    super(`no response to request ${opaque} from ${remoteAddress} within ${timeoutMs} ms`);
  }
}

export type RemotingConnectErrorCode = 'REMOTING_CONNECT_FAILED' | 'REMOTING_CONNECTION_CLOSED' | 'REMOTING_TOO_MANY_PENDING';

/** The connection could not be opened, closed before a response came, or has too many requests in flight. */
export class RemotingConnectError extends Error {
  override readonly name = 'RemotingConnectError';
  constructor(
    readonly code: RemotingConnectErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
