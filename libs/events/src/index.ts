import { EventEmitter } from 'node:events';

/**
 * A typed event channel (kafkajs-style instrumentation): a library declares an event map, emits on
 * it, and apps subscribe to turn events into log lines and metrics. Emitting with no listener costs
 * one counter read. Listeners must not throw: the emitter runs them inline.
 */
export class TypedEvents<M extends object> {
  private readonly emitter = new EventEmitter();

  /** Subscribes; returns the unsubscribe. */
  on<K extends keyof M & string>(event: K, listener: (payload: M[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  once<K extends keyof M & string>(event: K, listener: (payload: M[K]) => void): void {
    this.emitter.once(event, listener);
  }

  emit<K extends keyof M & string>(event: K, payload: M[K]): void {
    if (this.emitter.listenerCount(event) > 0) this.emitter.emit(event, payload);
  }

  listenerCount(event: keyof M & string): number {
    return this.emitter.listenerCount(event);
  }
}
