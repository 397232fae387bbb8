/**
 * gRPC message limits. grpc-js defaults to 4 MiB inbound, which a 4 MiB message body plus
 * headers and properties exceeds; every OrbitMQ channel and server allows this much instead.
 */
export const MAX_GRPC_MESSAGE_BYTES = 16 * 1024 * 1024;

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
} as const;

/** Default per-call deadline of internal unary calls. */
export const DEFAULT_DEADLINE_MS = 3_000;
/** Retries of a retriable failure (in addition to the first attempt). */
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 100;
