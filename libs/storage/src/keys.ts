import { readU64, writeU64 } from './u64';

/*
 * LevelDB keys. Every key starts with a one-byte namespace; integers are big-endian so byte order
 * equals numeric order; strings are length-prefixed so a (topic) or (topic, key) prefix is exact.
 *
 *  consume queue   'c' | topicLen u8 | topic | queueId u32 | queueOffset u64
 *                  -> logOffset u64 | size u32 | tagHash u32 | storeTimeMs u64      (24 bytes)
 *  cq block        'b' | topicLen u8 | topic | queueId u32 | firstQueueOffset u64  (a multiple of 256)
 *                  -> 256 consume-queue values, in queue-offset order              (6,144 bytes)
 *  key index       'k' | topicLen u8 | topic | keyLen u16 | key | storeTimeMs u64 | logOffset u64
 *                  -> size u32
 *  message id      'i' | idLen u8 | messageId | logOffset u64                    -> size u32
 *  consumer offset 'o' | groupLen u8 | group | topicLen u8 | topic | queueId u32  -> offset u64
 *  queue offsets   'q' | topicLen u8 | topic | queueId u32          -> next queue offset u64
 *  store meta      'm' | name (ascii)                                -> bytes
 *  broker metadata 'x' | nsLen u8 | namespace | key bytes            -> caller's bytes
 *
 * Several entries may share a message id or key (a client retry stores the message twice), which
 * is why both indexes end in the log offset instead of overwriting.
 */
export const NS = {
  consumeQueue: 0x63, // 'c'
  consumeQueueBlock: 0x62, // 'b'
  keyIndex: 0x6b, // 'k'
  messageId: 0x69, // 'i'
  consumerOffset: 0x6f, // 'o'
  queueOffset: 0x71, // 'q'
  meta: 0x6d, // 'm'
  metadata: 0x78, // 'x'
} as const;

function strLen(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** 'c' | topicLen | topic | queueId — the prefix of one queue's entries ('b': of its blocks). */
export function cqQueuePrefix(topic: string, queueId: number, ns: number = NS.consumeQueue): Buffer {
  const t = strLen(topic);
  const key = Buffer.allocUnsafe(2 + t + 4);
  key[0] = ns;
  key[1] = t;
  key.write(topic, 2, t, 'utf8');
  key.writeUInt32BE(queueId, 2 + t);
  return key;
}

/** 'c' | topicLen | topic — the prefix of every queue of a topic ('b': of their blocks). */
export function cqTopicPrefix(topic: string, ns: number = NS.consumeQueue): Buffer {
  return lenPrefixed(ns, topic);
}

/** A consume-queue entry's key; with NS.consumeQueueBlock, the key of the block starting at queueOffset. */
export function cqKey(topic: string, queueId: number, queueOffset: number, ns: number = NS.consumeQueue): Buffer {
  const t = strLen(topic);
  const key = Buffer.allocUnsafe(2 + t + 12);
  key[0] = ns;
  key[1] = t;
  key.write(topic, 2, t, 'utf8');
  key.writeUInt32BE(queueId, 2 + t);
  writeU64(key, queueOffset, 6 + t);
  return key;
}

/** Parses topic, queueId and queueOffset back out of a cq key. */
export function decodeCqKey(key: Buffer): { topic: string; queueId: number; queueOffset: number } {
  const t = key[1] as number;
  return {
    topic: key.toString('utf8', 2, 2 + t),
    queueId: key.readUInt32BE(2 + t),
    queueOffset: readU64(key, 6 + t),
  };
}

export interface CqEntry {
  queueOffset: number;
  logOffset: number;
  size: number;
  tagHash: number;
  storeTimestampMs: number;
}

export const CQ_VALUE_BYTES = 24;

export function encodeCqValue(logOffset: number, size: number, tagHash: number, storeTimeMs: number): Buffer {
  const v = Buffer.allocUnsafe(CQ_VALUE_BYTES);
  writeU64(v, logOffset, 0);
  v.writeUInt32BE(size, 8);
  v.writeUInt32BE(tagHash, 12);
  writeU64(v, storeTimeMs, 16);
  return v;
}

export function decodeCqValue(queueOffset: number, v: Buffer): CqEntry {
  return {
    queueOffset,
    logOffset: readU64(v, 0),
    size: v.readUInt32BE(8),
    tagHash: v.readUInt32BE(12),
    storeTimestampMs: readU64(v, 16),
  };
}

/** Queue offset is the last 8 bytes of a cq key. */
export function cqKeyQueueOffset(key: Buffer): number {
  return readU64(key, key.length - 8);
}

export function keyIndexPrefix(topic: string, msgKey: string): Buffer {
  const t = strLen(topic);
  const k = strLen(msgKey);
  const key = Buffer.allocUnsafe(2 + t + 2 + k);
  key[0] = NS.keyIndex;
  key[1] = t;
  key.write(topic, 2, t, 'utf8');
  key.writeUInt16BE(k, 2 + t);
  key.write(msgKey, 4 + t, k, 'utf8');
  return key;
}

export function keyIndexKey(topic: string, msgKey: string, storeTimeMs: number, logOffset: number): Buffer {
  const t = strLen(topic);
  const k = strLen(msgKey);
  const key = Buffer.allocUnsafe(4 + t + k + 16);
  key[0] = NS.keyIndex;
  key[1] = t;
  key.write(topic, 2, t, 'utf8');
  key.writeUInt16BE(k, 2 + t);
  key.write(msgKey, 4 + t, k, 'utf8');
  writeU64(key, storeTimeMs, 4 + t + k);
  writeU64(key, logOffset, 12 + t + k);
  return key;
}

/** Both the key index and the message-id index end in the log offset. */
export function trailingLogOffset(key: Buffer): number {
  return readU64(key, key.length - 8);
}

/** Store time sits just before the trailing log offset in key-index keys. */
export function keyIndexStoreTime(key: Buffer): number {
  return readU64(key, key.length - 16);
}

export function messageIdPrefix(messageId: string): Buffer {
  return lenPrefixed(NS.messageId, messageId);
}

export function messageIdKey(messageId: string, logOffset: number): Buffer {
  const n = strLen(messageId);
  const key = Buffer.allocUnsafe(2 + n + 8);
  key[0] = NS.messageId;
  key[1] = n;
  key.write(messageId, 2, n, 'utf8');
  writeU64(key, logOffset, 2 + n);
  return key;
}

export function consumerOffsetGroupPrefix(group: string): Buffer {
  return lenPrefixed(NS.consumerOffset, group);
}

export function consumerOffsetKey(group: string, topic: string, queueId: number): Buffer {
  const g = strLen(group);
  const t = strLen(topic);
  const key = Buffer.allocUnsafe(3 + g + t + 4);
  key[0] = NS.consumerOffset;
  key[1] = g;
  key.write(group, 2, g, 'utf8');
  key[2 + g] = t;
  key.write(topic, 3 + g, t, 'utf8');
  key.writeUInt32BE(queueId, 3 + g + t);
  return key;
}

export function decodeConsumerOffsetKey(key: Buffer): { group: string; topic: string; queueId: number } {
  const g = key[1] as number;
  const t = key[2 + g] as number;
  return {
    group: key.toString('utf8', 2, 2 + g),
    topic: key.toString('utf8', 3 + g, 3 + g + t),
    queueId: key.readUInt32BE(3 + g + t),
  };
}

export function queueOffsetKey(topic: string, queueId: number): Buffer {
  const key = cqQueuePrefix(topic, queueId);
  key[0] = NS.queueOffset;
  return key;
}

export function decodeQueueOffsetKey(key: Buffer): { topic: string; queueId: number } {
  const t = key[1] as number;
  return { topic: key.toString('utf8', 2, 2 + t), queueId: key.readUInt32BE(2 + t) };
}

export function metaKey(name: string): Buffer {
  const key = Buffer.allocUnsafe(1 + name.length);
  key[0] = NS.meta;
  key.write(name, 1, 'latin1');
  return key;
}

export function metadataPrefix(namespace: string): Buffer {
  return lenPrefixed(NS.metadata, namespace);
}

export function metadataKey(namespace: string, key: Buffer | string): Buffer {
  const prefix = metadataPrefix(namespace);
  const k = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return Buffer.concat([prefix, k], prefix.length + k.length);
}

export function u64Value(n: number): Buffer {
  const v = Buffer.allocUnsafe(8);
  writeU64(v, n, 0);
  return v;
}

export function u32Value(n: number): Buffer {
  const v = Buffer.allocUnsafe(4);
  v.writeUInt32BE(n, 0);
  return v;
}

/** The smallest key greater than every key starting with `prefix` (for exclusive upper bounds). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
}

function lenPrefixed(ns: number, s: string): Buffer {
  const n = strLen(s);
  const key = Buffer.allocUnsafe(2 + n);
  key[0] = ns;
  key[1] = n;
  key.write(s, 2, n, 'utf8');
  return key;
}
