import { StorageError, StorageErrorCode } from './errors';
import type { Kv } from './kv';
import { keyIndexKey, keyIndexPrefix, keyIndexStoreTime, messageIdPrefix, prefixEnd, trailingLogOffset } from './keys';
import type { StoredRecord } from './record-codec';

export interface FoundMessage {
  logOffset: number;
  size: number;
  record: StoredRecord;
}

export interface KeyQuery {
  beginTimestampMs?: number;
  endTimestampMs?: number;
  maxResults?: number;
}

/** Upper bound on results of one lookup (RocketMQ's queryMsgByKey default is 64). */
const MAX_LOOKUP_RESULTS = 1_024;

/**
 * Lookups by client message id and by key. Every hit is read back and checked against the record
 * (CRC, and the id or key itself), so an index entry that outlived its record is skipped, never
 * returned as garbage.
 */
export class MessageIndex {
  constructor(
    private readonly kv: Kv,
    private readonly read: (logOffset: number, size: number) => Promise<StoredRecord>,
  ) {}

  async byMessageId(messageId: string, maxResults: number): Promise<FoundMessage[]> {
    const prefix = messageIdPrefix(messageId);
    const hits = await this.kv.entries({ gte: prefix, lt: prefixEnd(prefix), limit: clamp(maxResults) });
    return this.resolve(hits, (r) => r.messageId === messageId);
  }

  async byKey(topic: string, key: string, q: KeyQuery): Promise<FoundMessage[]> {
    const begin = q.beginTimestampMs ?? 0;
    const end = q.endTimestampMs ?? Number.MAX_SAFE_INTEGER;
    const prefix = keyIndexPrefix(topic, key);
    const hits = await this.kv.entries({
      gte: keyIndexKey(topic, key, begin, 0),
      lt: end === Number.MAX_SAFE_INTEGER ? prefixEnd(prefix) : keyIndexKey(topic, key, end + 1, 0),
      limit: clamp(q.maxResults ?? 64),
    });
    return this.resolve(
      hits.filter(([k]) => keyIndexStoreTime(k) >= begin),
      (r) => r.topic === topic && r.keys.includes(key),
    );
  }

  private async resolve(hits: [Buffer, Buffer][], matches: (r: StoredRecord) => boolean): Promise<FoundMessage[]> {
    const out: FoundMessage[] = [];
    for (const [k, v] of hits) {
      const logOffset = trailingLogOffset(k);
      const size = v.readUInt32BE(0);
      try {
        const record = await this.read(logOffset, size);
        if (matches(record)) out.push({ logOffset, size, record });
      } catch (err) {
        if (err instanceof StorageError && (err.code === StorageErrorCode.OFFSET_TOO_SMALL || err.code === StorageErrorCode.OFFSET_OVERFLOW)) continue;
        throw err;
      }
    }
    return out;
  }
}

function clamp(n: number): number {
  return Math.max(1, Math.min(MAX_LOOKUP_RESULTS, Math.floor(n)));
}
