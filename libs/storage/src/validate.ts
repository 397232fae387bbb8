import { StorageError, StorageErrorCode } from './errors';
import { KEY_SEPARATOR, Limits } from './limits';
import type { AppendMessage, RecordSizing } from './record-codec';

function illegal(message: string): never {
  throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, message);
}

/** Checks one append against the record format's limits before it reaches the writer. */
export function validateAppend(m: AppendMessage, s: RecordSizing, maxRecordBytes: number): void {
  if (typeof m.topic !== 'string' || m.topic.length === 0) illegal('topic is required');
  if (s.topicBytes > Limits.maxTopicBytes) illegal(`topic is ${s.topicBytes} bytes, limit ${Limits.maxTopicBytes}`);
  if (!Number.isInteger(m.queueId) || m.queueId < 0 || m.queueId > Limits.maxQueueId) illegal(`queueId ${m.queueId} out of range`);
  if (typeof m.messageId !== 'string') illegal('messageId must be a string');
  if (s.messageIdBytes > Limits.maxMessageIdBytes) illegal(`messageId is ${s.messageIdBytes} bytes, limit ${Limits.maxMessageIdBytes}`);
  if (s.tagBytes > Limits.maxTagBytes) illegal(`tag is ${s.tagBytes} bytes, limit ${Limits.maxTagBytes}`);
  if (s.keysBytes > Limits.maxKeysBytes) illegal(`keys take ${s.keysBytes} bytes, limit ${Limits.maxKeysBytes}`);
  if (m.keys) for (const k of m.keys) if (k.includes(KEY_SEPARATOR)) illegal('a key contains the reserved character U+0001');
  if (!Buffer.isBuffer(m.body)) illegal('body must be a Buffer');
  if (m.properties !== undefined && !Buffer.isBuffer(m.properties)) illegal('properties must be a Buffer');
  if (!Number.isSafeInteger(m.bornTimestampMs) || m.bornTimestampMs < 0) illegal(`bornTimestampMs ${m.bornTimestampMs} is not a timestamp`);
  if (s.totalSize > maxRecordBytes) {
    throw new StorageError(StorageErrorCode.MESSAGE_TOO_LARGE, `record is ${s.totalSize} bytes, limit maxRecordBytes=${maxRecordBytes}`);
  }
}
