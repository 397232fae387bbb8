// A remoting connection's read brake: its requests are handled one per 1 / callsPerSecond, the rest
// wait in order with the socket paused. The broker brakes a connection that does nothing but fail
// authentication (the ACL's FailingConnections): a 4.x client can pipeline requests without waiting
// for answers, so pacing the answers (FailureDelay) does not pace it, and each request read costs a
// frame decode and an HMAC. Braked, the connection costs one request per interval however many it
// sends; what one read brought is all that waits here (the socket stays paused while anything does,
// so the kernel's buffers fill and TCP pushes back on the peer). Unlike HTTP/2 (@orbitmq/rpc's
// ReadBrakes, which must stop the handle's reads), a net or TLS socket's pause() holds.
import type { Socket } from 'node:net';
import type { RemotingCommand } from './command';

/** The longest wait between two requests of a braked connection, whatever the rate. */
export const REQUEST_BRAKE_MAX_INTERVAL_MS = 60_000;

/**
 * The turns one IP's braked connections share (the server keeps one per IP): each request handled
 * on any of them moves the IP's next turn an interval on, and none of them handles another before it
 * (up to REQUEST_BRAKE_MAX_INTERVAL_MS). A flood spread over many connections, a request or two in
 * flight on each, is then handled at the rate, not the rate times the connections.
 */
export interface SharedTurn {
  nextAtMs: number;
}

export class RequestBrake {
  private readonly intervalMs: number;
  private readonly waiting: RemotingCommand[] = [];
  private waitingHead = 0;
  /** When the next request may be handled. */
  private nextAtMs: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Requests handled through this brake (at their turn, or all at once on release). */
  handled = 0;

  /**
   * `firstAtOnce`: the first request is handled when it comes (a brake at connect: a good client's
   * first call frees it); otherwise the first waits an interval (braked after a refusal just handled).
   */
  constructor(
    callsPerSecond: number,
    private readonly socket: Socket,
    private readonly handle: (request: RemotingCommand) => void,
    firstAtOnce: boolean,
    private readonly shared: SharedTurn = { nextAtMs: 0 },
    private readonly nowMs: () => number = Date.now,
  ) {
    this.intervalMs = Math.min(1000 / callsPerSecond, REQUEST_BRAKE_MAX_INTERVAL_MS);
    this.nextAtMs = firstAtOnce ? 0 : this.nowMs() + this.intervalMs;
  }

  /** Requests read and not yet handled. */
  get waitingCount(): number {
    return this.waiting.length - this.waitingHead;
  }

  /** A request read from the socket: handled now if its turn has come and none waits before it. */
  admit(request: RemotingCommand): void {
    const now = this.nowMs();
    if (this.waitingCount === 0 && now >= this.nextAtMs) return this.handleNow(request, now);
    this.waiting.push(request);
    this.socket.pause();
    this.schedule(now);
  }

  /** The brake is lifted: the waiting requests, in order, for the connection to handle now. */
  release(): RemotingCommand[] {
    const rest = this.stop();
    this.handled += rest.length;
    if (!this.socket.destroyed) this.socket.resume();
    return rest;
  }

  /** Stops the brake (the connection closed, or it is released): the waiting requests, unhandled. */
  stop(): RemotingCommand[] {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const rest = this.waiting.slice(this.waitingHead);
    this.waiting.length = 0;
    this.waitingHead = 0;
    return rest;
  }

  private handleNow(request: RemotingCommand, now: number): void {
    const limit = now + REQUEST_BRAKE_MAX_INTERVAL_MS;
    this.shared.nextAtMs = Math.min(Math.max(now, this.shared.nextAtMs) + this.intervalMs, limit);
    this.nextAtMs = Math.max(now + this.intervalMs, this.shared.nextAtMs);
    this.handled++;
    this.handle(request);
  }

  private schedule(now: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(this.turn, Math.max(0, this.nextAtMs - now));
  }

  private readonly turn = (): void => {
    this.timer = undefined;
    if (this.stopped || this.socket.destroyed) return;
    const request = this.waiting[this.waitingHead++] as RemotingCommand;
    if (this.waitingCount === 0) {
      this.waiting.length = 0;
      this.waitingHead = 0;
    }
    this.handleNow(request, this.nowMs()); // may release the brake (an accepted request)
    if (this.stopped) return;
    if (this.waitingCount > 0) this.schedule(this.nowMs());
    else this.socket.resume();
  };
}
