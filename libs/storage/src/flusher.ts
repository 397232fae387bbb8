import type { Checkpoint } from './checkpoint';
import type { CommitLog } from './commit-log';
import type { StoreEvents } from './events';

/**
 * Keeps the checkpoint at the durable end of the log. In ASYNC_FLUSH it also fdatasyncs what was
 * written, on an interval; in SYNC_FLUSH the writer syncs each batch itself and says so.
 */
export class Flusher {
  private flushed: number;
  private checkpointedOffset = -1;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: CommitLog,
    private readonly checkpoint: Checkpoint,
    private readonly events: StoreEvents,
  ) {
    this.flushed = log.endOffset;
  }

  /** End of the bytes known to be on disk. */
  get flushedOffset(): number {
    return this.flushed;
  }

  /** Bytes up to `endOffset` were written, and already synced when `synced`. */
  noteWritten(endOffset: number, synced: boolean): void {
    if (synced) this.flushed = endOffset;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.flush().catch((error: Error) => this.events.emit('backgroundError', { task: 'flush', error }));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** fdatasync what was written (ASYNC), then record the durable offset in the checkpoint. Calls during a run share it. */
  flush(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.flushOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * The log was cut at `offset` (truncateTo): nothing past it is on disk any more. Waits for a
   * flush in progress (it may have read the old end), lowers the flushed offset and checkpoints
   * at once, so the checkpoint never names bytes that are gone.
   */
  async lowerTo(offset: number): Promise<void> {
    await this.running?.catch(() => undefined);
    if (this.flushed > offset) this.flushed = offset;
    this.checkpointedOffset = -1;
    await this.flush();
  }

  /** Stops the timer and closes the checkpoint, without flushing: close() flushes first, a crash test does not. */
  close(): void {
    this.stop();
    this.checkpoint.close();
  }

  private async flushOnce(): Promise<void> {
    const started = Date.now();
    const target = this.log.endOffset;
    if (target > this.flushed) {
      await this.log.flush();
      this.flushed = Math.max(this.flushed, target);
    }
    if (this.flushed === this.checkpointedOffset) return;
    await this.checkpoint.write(this.flushed, Date.now());
    this.checkpointedOffset = this.flushed;
    this.events.emit('flushed', {
      flushedOffset: this.flushed,
      lagBytes: Math.max(0, this.log.endOffset - this.flushed),
      durationMs: Date.now() - started,
    });
  }
}
