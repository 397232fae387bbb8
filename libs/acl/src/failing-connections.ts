/**
 * Tells which connections do nothing but fail authentication, so that the server reading them can
 * slow its reads (rpc's ReadBrakes): a refusal past its IP's free failures, on a connection none of
 * whose calls was accepted in the last FAILING_CONNECTIONS_ACCEPTED_MEMORY_MS, brakes that
 * connection; an accepted call releases it.
 *
 * Why per connection and only those: pacing answers per IP (FailureDelay) does not stop a client
 * that cancels at its deadline and sends again from costing the broker a call per call in flight per
 * deadline; only not reading it does. A connection that also carries accepted calls (a proxy in front
 * of many clients, one misconfigured) is never braked, and neither is another connection from the
 * same IP: good clients behind a NAT keep their speed.
 */

/** What the ACL asks of the servers: slow or free the reads of one connection ("ip:port"). */
export interface ConnectionBrake {
  brake(peer: string, callsPerSecond: number): void;
  release(peer: string): void;
}

/** Connections (and IPs) remembered at once, for each of the maps (least recently seen forgotten first). */
export const FAILING_CONNECTIONS_MAX_TRACKED = 4_096;
/**
 * A connection with a call accepted this recently is never braked. The official clients heartbeat
 * every 10 s, so a good client sharing a connection with a failing one (two clients of one process
 * share grpc-js's connection) keeps it unbraked.
 */
export const FAILING_CONNECTIONS_ACCEPTED_MEMORY_MS = 60_000;
/**
 * A new connection from an IP with a connection braked this recently is braked from its first call.
 * Braking works: the IP's refusals then come a few a second, within its free failures, so the IP no
 * longer counts as failing; without this memory the flooder's next connection (its keepalive gives
 * the braked one up) was read at once, all its calls in flight (measured: 3,075 refusals against 207
 * calls read from braked connections in 88 s).
 */
export const FAILING_CONNECTIONS_IP_MEMORY_MS = 60_000;

export class FailingConnections {
  /** When each connection last had a call accepted. */
  private readonly acceptedAtMs = new Map<string, number>();
  /** Connections braked so far (released on an accepted call). */
  private readonly braked = new Set<string>();
  /** When each IP last had a braked connection refused. */
  private readonly failingIps = new Map<string, number>();
  private brake: ConnectionBrake | undefined;

  constructor(private readonly nowMs: () => number) {}

  /** Where brakes go (the servers, known only once they are bound). */
  brakeWith(brake: ConnectionBrake): void {
    this.brake = brake;
  }

  /** A call on `peer` passed the ACL. */
  accepted(peer: string): void {
    if (!this.brake) return; // nothing to brake: nothing to remember
    this.acceptedAtMs.delete(peer); // re-inserted: Map order is least recently accepted first
    this.acceptedAtMs.set(peer, this.nowMs());
    if (this.acceptedAtMs.size > FAILING_CONNECTIONS_MAX_TRACKED) this.acceptedAtMs.delete(this.acceptedAtMs.keys().next().value as string);
    if (this.braked.delete(peer)) this.brake?.release(peer);
  }

  /**
   * A call on `peer` (from `ip`) was refused for its credentials; `pastFree`: its IP is past its free
   * failures. Brakes the connection at callsPerSecond unless a call of it was accepted recently.
   */
  refused(peer: string, ip: string, pastFree: boolean, callsPerSecond: number): void {
    if (!this.brake || callsPerSecond <= 0) return;
    if (this.braked.has(peer)) return this.failing(ip);
    if (!pastFree) return;
    const acceptedAt = this.acceptedAtMs.get(peer);
    if (acceptedAt !== undefined && this.nowMs() - acceptedAt < FAILING_CONNECTIONS_ACCEPTED_MEMORY_MS) return;
    this.remember(peer);
    this.failing(ip);
    this.brake.brake(peer, callsPerSecond);
  }

  /**
   * Whether a new connection from `ip` is braked from its first call: its IP is past its free
   * failures, or had a braked connection refused within FAILING_CONNECTIONS_IP_MEMORY_MS.
   */
  brakeAtConnect(peer: string, ip: string, pastFree: boolean): boolean {
    const failingAt = this.failingIps.get(ip);
    if (!pastFree && (failingAt === undefined || this.nowMs() - failingAt >= FAILING_CONNECTIONS_IP_MEMORY_MS)) return false;
    this.remember(peer);
    return true;
  }

  private failing(ip: string): void {
    this.failingIps.delete(ip); // re-inserted: Map order is least recently failing first
    this.failingIps.set(ip, this.nowMs());
    if (this.failingIps.size > FAILING_CONNECTIONS_MAX_TRACKED) this.failingIps.delete(this.failingIps.keys().next().value as string);
  }

  private remember(peer: string): void {
    this.braked.add(peer);
    if (this.braked.size > FAILING_CONNECTIONS_MAX_TRACKED) this.braked.delete(this.braked.values().next().value as string);
  }
}
