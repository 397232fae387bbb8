/**
 * gRPC message limits. grpc-js defaults to 4 MiB inbound, which a 4 MiB message body plus
 * headers and properties exceeds; every OrbitMQ channel and server allows this much instead.
 */
export const MAX_GRPC_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * HTTP/2 flow-control windows. Node's default is 64 KiB per stream and per connection: a client
 * then has at most 64 KiB in flight to a server, every further 64 KiB waits for a WINDOW_UPDATE
 * the receiver only sends when its event loop gets to the data. A batched SendMessage (64 × 1 KiB)
 * alone fills that window, so throughput was bound by event-loop turns, not CPU.
 */
export const STREAM_FLOW_CONTROL_WINDOW_BYTES = 4 * 1024 * 1024;
export const CONNECTION_FLOW_CONTROL_WINDOW_BYTES = 16 * 1024 * 1024;

export const CHANNEL_OPTIONS = {
  'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
  // Detect dead peers on idle long-lived streams (Telemetry, replication) within about a minute.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.max_pings_without_data': 0,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  'grpc.http2.min_time_between_pings_ms': 10_000,
  // Client side: grpc-js applies it as both the stream and the connection window it advertises.
  'grpc-node.flow_control_window': CONNECTION_FLOW_CONTROL_WINDOW_BYTES,
} as const;

/** Default per-call deadline of internal unary calls. */
export const DEFAULT_DEADLINE_MS = 3_000;
/** Retries of a retriable failure (in addition to the first attempt). */
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 100;
