/**
 * send/: from producers to the store. Incoming messages checked (incoming), deduplicated
 * (dedup-window), placed in a queue (queue-selector) and appended as one batch (send-handler).
 */
export { type IncomingMessage, type MessageLimits, type SendableMessage, checkMessageFields, checkUserProperties, decodeIncoming } from './incoming';
export { MAX_MESSAGES_PER_SEND, SendHandler, type SendReplication } from './send-handler';
export { InflightBytes, type InflightLimits, MESSAGE_OVERHEAD_BYTES, incomingBytes, sendRequestBytes } from './inflight-bytes';
