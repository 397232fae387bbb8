/** @orbitmq/client — a thin RocketMQ 5 client for OrbitMQ's tools and benchmarks. */
export { MessagingClient, MAX_MESSAGES_PER_SEND, type OutgoingMessage, type SendResult, type ReceivedMessage, type ReceiveRequest } from './messaging-client';
export { nextMessageId } from './message-id';
export * from './remoting';
