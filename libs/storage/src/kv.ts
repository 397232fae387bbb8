import { ClassicLevel } from 'classic-level';
import { Limits } from './limits';
import { StorageError, StorageErrorCode } from './errors';

/**
 * The one file that knows LevelDB. Everything else sees Buffers in, Buffers out, and a batch that
 * commits atomically. LevelDB's own LOCK file doubles as the store's single-process lock: the
 * kernel drops it when a process dies, so a SIGKILLed broker never leaves a stale lock behind.
 */
export interface KvBatch {
  put(key: Buffer, value: Buffer): void;
  del(key: Buffer): void;
  readonly length: number;
}

interface KvRange {
  gte?: Buffer;
  gt?: Buffer;
  lt?: Buffer;
  lte?: Buffer;
  reverse?: boolean;
  limit?: number;
}

type KvEntry = [key: Buffer, value: Buffer];

type Db = ClassicLevel<Buffer, Buffer>;

export class Kv {
  private constructor(private readonly db: Db) {}

  static async open(location: string): Promise<Kv> {
    const db: Db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    try {
      await db.open({ createIfMissing: true, writeBufferSize: 16 * 1024 * 1024, cacheSize: 32 * 1024 * 1024 });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED' || /lock/i.test(String((err as Error).message) + String(cause))) {
        throw new StorageError(StorageErrorCode.STORE_LOCKED, `store index at ${location} is locked by another process (or already open in this one)`, {
          cause: err,
        });
      }
      throw new StorageError(StorageErrorCode.IO_ERROR, `cannot open LevelDB at ${location}`, { cause: err });
    }
    return new Kv(db);
  }

  async get(key: Buffer): Promise<Buffer | undefined> {
    const v = await this.db.get(key);
    return v ?? undefined;
  }

  async getMany(keys: Buffer[]): Promise<(Buffer | undefined)[]> {
    const values = await this.db.getMany(keys);
    return values.map((v) => v ?? undefined);
  }

  async put(key: Buffer, value: Buffer): Promise<void> {
    await this.db.put(key, value);
  }

  async del(key: Buffer): Promise<void> {
    await this.db.del(key);
  }

  batch(): KvBatch & { write(): Promise<void> } {
    const chained = this.db.batch();
    return {
      put: (k, v) => void chained.put(k, v),
      del: (k) => void chained.del(k),
      get length() {
        return chained.length;
      },
      write: () => chained.write(),
    };
  }

  /** Visits entries in key order, fetching up to Limits.maxIteratorBatch per native call. */
  async forEach(range: KvRange, visit: (key: Buffer, value: Buffer) => boolean | void): Promise<void> {
    const it = this.db.iterator({ ...range, limit: range.limit ?? -1 });
    try {
      for (;;) {
        const entries = await it.nextv(Limits.maxIteratorBatch);
        if (entries.length === 0) return;
        for (const [k, v] of entries) if (visit(k, v) === false) return;
      }
    } finally {
      await it.close();
    }
  }

  /**
   * Entries in key order, up to Limits.maxIteratorBatch per chunk, all from the one snapshot the
   * iterator reads: writes made while the caller awaits between chunks are not seen.
   */
  async *chunks(range: KvRange): AsyncGenerator<KvEntry[]> {
    const it = this.db.iterator({ ...range, limit: range.limit ?? -1 });
    try {
      for (;;) {
        const entries = await it.nextv(Limits.maxIteratorBatch);
        if (entries.length === 0) return;
        yield entries;
      }
    } finally {
      await it.close();
    }
  }

  async first(range: KvRange): Promise<KvEntry | undefined> {
    const entries = await this.db.iterator({ ...range, limit: 1 }).all();
    return entries[0];
  }

  async entries(range: KvRange): Promise<KvEntry[]> {
    return this.db.iterator({ ...range, limit: range.limit ?? -1 }).all();
  }

  async clear(range: KvRange): Promise<void> {
    await this.db.clear(range);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
