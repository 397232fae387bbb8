import type * as net from 'node:net';
import { Duplex } from 'node:stream';

/**
 * A stream between an accepted socket and its TLS layer whose reads the read brakes can hold
 * (read-brake.ts). Over a TLS socket made on the TCP handle, Node's HTTP/2 restarts the handle's
 * reads after each write that completes later, which over TLS is every answer, so a brake cannot
 * hold. Made on this stream instead, TLS reads through JS (Node's JSStreamSocket): those restarts
 * arrive here as resume(), and while the gate is held they read nothing.
 *
 * Only for connections from an IP that keeps failing authentication (the server's brakeAtConnect):
 * reading through JS costs every chunk a few more calls, which other TLS connections do not pay (a
 * good client at a flooder's address saw W2's p99 above its no-flood spread in 3 of 6 runs, up to 1.45x;
 * docs/benchmarks.md, sessions 17-18).
 */
export class ReadGate extends Duplex {
  private held = false;

  /** `firstChunk`: bytes already read from `raw` (by the protocol sniffer); they come first. */
  constructor(
    private readonly raw: net.Socket,
    firstChunk: Buffer,
  ) {
    super({ allowHalfOpen: false });
    // TLS over this stream cannot set the socket's options (its setNoDelay reaches no handle):
    // without this, Nagle's algorithm held small answers for the client's delayed ACK (~40 ms each).
    raw.setNoDelay(true);
    raw.pause(); // attaching 'data' to an explicitly paused socket does not resume it
    raw.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) raw.pause();
    });
    raw.once('end', () => this.push(null));
    raw.once('error', (e) => this.destroy(e));
    raw.once('close', () => this.destroy());
    this.push(firstChunk);
  }

  /** The raw socket's peer, which the TLS socket over this stream cannot see for itself. */
  get peer(): { remoteAddress?: string; remotePort?: number; remoteFamily?: string; localAddress?: string; localPort?: number } {
    const r = this.raw;
    return { remoteAddress: r.remoteAddress, remotePort: r.remotePort, remoteFamily: r.remoteFamily, localAddress: r.localAddress, localPort: r.localPort };
  }

  /** The brake: read nothing more until readStart (whatever TLS or HTTP/2 ask). */
  readStop(): number {
    this.held = true;
    this.raw.pause();
    return 0;
  }

  readStart(): number {
    this.held = false;
    this.raw.resume(); // past the reader's buffer limit, push() pauses it again
    return 0;
  }

  override _read(): void {
    if (!this.held) this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.raw.write(chunk, done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.raw.end();
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.raw.destroy();
    done(error);
  }
}

/** Where a TLS socket made over a ReadGate keeps it (read-brake.ts looks for it). */
export const READ_GATE = Symbol('orbitmq.readGate');
