/**
 * Next queue offset per (topic, queueId). Two instances live in a store: the writer's (offsets
 * handed out at append) and the dispatcher's (offsets visible to readers). Nested maps avoid
 * building a "topic|queue" string per message on the append path.
 */
export class QueueTable {
  private readonly topics = new Map<string, Map<number, number>>();

  get(topic: string, queueId: number): number {
    return this.topics.get(topic)?.get(queueId) ?? 0;
  }

  set(topic: string, queueId: number, next: number): void {
    let queues = this.topics.get(topic);
    if (!queues) {
      queues = new Map();
      this.topics.set(topic, queues);
    }
    queues.set(queueId, next);
  }

  delete(topic: string, queueId?: number): void {
    if (queueId === undefined) this.topics.delete(topic);
    else this.topics.get(topic)?.delete(queueId);
  }

  *entries(): IterableIterator<{ topic: string; queueId: number; next: number }> {
    for (const [topic, queues] of this.topics) for (const [queueId, next] of queues) yield { topic, queueId, next };
  }

  copyFrom(other: QueueTable): void {
    this.topics.clear();
    for (const e of other.entries()) this.set(e.topic, e.queueId, e.next);
  }
}
