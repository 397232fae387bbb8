import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageStore, type AppendMessage, type OpenOptions, type StoreConfigInput } from '../src';
import { Kv } from '../src/kv';

export const SMALL_SEGMENT = 64 * 1024;
export const SMALL_MAX_RECORD = 16 * 1024;

export function tmpDir(prefix = 'orbitmq-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function openSmall(rootDir: string, extra: Partial<StoreConfigInput> = {}, opts: OpenOptions = {}): Promise<MessageStore> {
  const diskUsage = async () => ({ totalBytes: 2 ** 40, freeBytes: 2 ** 39 }); // 1 TiB, half free
  return MessageStore.open({ rootDir, segmentSizeBytes: SMALL_SEGMENT, maxRecordBytes: SMALL_MAX_RECORD, diskUsage, ...extra }, opts);
}

export function msg(n: number, over: Partial<AppendMessage> = {}): AppendMessage {
  return {
    topic: 'TopicA',
    queueId: n % 4,
    bornTimestampMs: 1_700_000_000_000 + n,
    messageId: `msg-${n}`,
    tag: n % 2 === 0 ? 'even' : 'odd',
    keys: [`key-${n}`, `order-${n % 10}`],
    properties: Buffer.from(`p=${n}`),
    body: Buffer.from(`body-${n}-`.repeat((n % 7) + 1)),
    ...over,
  };
}

/** Every index entry (consume queues and their blocks, key index, message ids, queue counters) as hex pairs. */
export async function dumpIndexes(rootDir: string): Promise<string[]> {
  const kv = await Kv.open(path.join(rootDir, 'index'));
  const out: string[] = [];
  try {
    for (const ns of ['b', 'c', 'k', 'i', 'q']) {
      const b = ns.charCodeAt(0);
      await kv.forEach({ gte: Buffer.from([b]), lt: Buffer.from([b + 1]) }, (k, v) => void out.push(`${k.toString('hex')}=${v.toString('hex')}`));
    }
  } finally {
    await kv.close();
  }
  return out;
}

export function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

export function segmentFiles(rootDir: string): string[] {
  const dir = path.join(rootDir, 'commitlog');
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f));
}
