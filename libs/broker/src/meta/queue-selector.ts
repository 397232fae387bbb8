/**
 * Which queue of a topic a message goes to. The official clients always send queue 0 (they only
 * ever use queue id 0 of a broker), so the broker spreads messages itself: round-robin for normal
 * messages, and a stable hash of the message group for FIFO messages so a group stays in one queue
 * and keeps its order.
 */
export class QueueSelector {
  private readonly next = new Map<string, number>();

  select(topic: string, writeQueueNums: number, messageGroup?: string): number {
    if (messageGroup) return groupHash(messageGroup) % writeQueueNums;
    const n = this.next.get(topic) ?? 0;
    this.next.set(topic, (n + 1) % 0x7fff_ffff);
    return n % writeQueueNums;
  }
}

/** FNV-1a over UTF-16 code units: stable across processes and restarts. */
function groupHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
