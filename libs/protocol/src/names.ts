import { OrbitError, type ErrorCode } from './error-table';

/**
 * RocketMQ's naming rules, checked wherever a name enters the system: topics and groups are
 * letters, digits, '_', '-', '%' and '|' ('%' marks system prefixes such as %RETRY% and %DLQ%).
 */
export const NAME_PATTERN = /^[%|a-zA-Z0-9_-]+$/;
export const MAX_TOPIC_LENGTH = 127;
export const MAX_GROUP_LENGTH = 255;
export const MAX_BROKER_NAME_LENGTH = 255;

function check(kind: string, value: string, max: number, code: ErrorCode): void {
  if (typeof value !== 'string' || value.length === 0) throw new OrbitError(code, `${kind} is required`);
  if (value.length > max) throw new OrbitError(code, `${kind} '${value.slice(0, 40)}...' is ${value.length} characters, limit ${max}`);
  if (!NAME_PATTERN.test(value)) throw new OrbitError(code, `${kind} '${value}' may only contain letters, digits, '_', '-', '%' and '|'`);
}

export function checkTopicName(topic: string): void {
  check('topic', topic, MAX_TOPIC_LENGTH, 'ILLEGAL_TOPIC');
}

export function checkGroupName(group: string): void {
  check('consumer group', group, MAX_GROUP_LENGTH, 'ILLEGAL_CONSUMER_GROUP');
}

export function checkClusterOrBrokerName(kind: 'cluster name' | 'broker name', name: string): void {
  check(kind, name, MAX_BROKER_NAME_LENGTH, 'BAD_REQUEST');
}

/** "host:port" with a non-empty host and a port 1-65535. */
export function checkEndpoint(what: string, endpoint: string): void {
  const m = /^([^\s:]+):(\d{1,5})$/.exec(endpoint);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new OrbitError('BAD_REQUEST', `${what} '${endpoint}' is not host:port`);
}
