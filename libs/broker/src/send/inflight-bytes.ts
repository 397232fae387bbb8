import type { v2 } from '@orbitmq/protocol';

export interface InflightLimits {
  /** Send bytes one connection may have accepted but not yet answered. */
  maxPerConnection: number;
  /** Send bytes the broker may have accepted but not yet answered, over all connections. */
  maxTotal: number;
}

/** Counted per message beyond body and user properties: ids, topic, tag, keys, system properties. */
export const MESSAGE_OVERHEAD_BYTES = 256;

/** What a SendMessage request holds in memory while it is handled: bodies, user properties, overhead. */
export function sendRequestBytes(messages: readonly v2.Message__Output[]): number {
  let bytes = 0;
  for (const m of messages) {
    bytes += MESSAGE_OVERHEAD_BYTES + (m.body ? m.body.length : 0);
    const props = m.userProperties;
    if (props) for (const k in props) bytes += k.length + (props[k]?.length ?? 0);
  }
  return bytes;
}

/** The same measure for messages already mapped (the remoting send path): bodies, properties, overhead. */
export function incomingBytes(messages: readonly { append: { body: Buffer; properties?: Buffer } }[]): number {
  let bytes = 0;
  for (const m of messages) bytes += MESSAGE_OVERHEAD_BYTES + m.append.body.length + (m.append.properties?.length ?? 0);
  return bytes;
}

/**
 * Send bytes in flight (accepted, not yet answered), per connection and in total. A request that
 * would take either past its bound is refused at once, so a producer that outruns the store gets
 * TOO_MANY_REQUESTS (and backs off) instead of the broker's memory growing with its queue. A
 * request is always admitted when its connection, or the broker, has nothing in flight, so one
 * request larger than a bound (a big batch) still gets through on its own.
 */
export class InflightBytes {
  private total = 0;
  private readonly byConnection = new Map<string, number>();

  constructor(private readonly limits: InflightLimits) {}

  /** Bytes accepted and not yet answered over all connections. */
  get bytes(): number {
    return this.total;
  }

  /** Connections with a request in flight. */
  get connections(): number {
    return this.byConnection.size;
  }

  /**
   * Takes `bytes` for `connection`; returns the release to call once the request is answered,
   * or a reason when a bound is reached.
   */
  tryAcquire(connection: string, bytes: number): { release: () => void } | { refused: string } {
    const mine = this.byConnection.get(connection) ?? 0;
    if (mine > 0 && mine + bytes > this.limits.maxPerConnection) {
      return { refused: `connection has ${mine} send bytes in flight (maxInflightSendBytesPerConnection=${this.limits.maxPerConnection})` };
    }
    if (this.total > 0 && this.total + bytes > this.limits.maxTotal) {
      return { refused: `broker has ${this.total} send bytes in flight (maxInflightSendBytes=${this.limits.maxTotal})` };
    }
    this.total += bytes;
    this.byConnection.set(connection, mine + bytes);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total -= bytes;
        const left = (this.byConnection.get(connection) ?? bytes) - bytes;
        if (left > 0) this.byConnection.set(connection, left);
        else this.byConnection.delete(connection);
      },
    };
  }
}
