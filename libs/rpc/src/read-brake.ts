import type * as http2 from 'node:http2';
import { READ_GATE } from './read-gate';

/**
 * Reads of a connection that does nothing but fail, slowed to a number of calls a second.
 *
 * Why reads: a client with N calls in flight and a deadline of D makes the server set up N / D
 * HTTP/2 streams a second, however it answers them (the ACL holds a refusal, the client cancels
 * at its deadline and sends again): ~0.5 ms of CPU each on a small VM, most of it Node's HTTP/2
 * stream itself, so no cheaper answer saves it (docs/benchmarks.md, sessions 14-16). Closing the
 * connection does, but its client reconnects at once, and refusing its IP shuts out the good
 * clients behind that address. Not reading the socket makes TCP and the client's HTTP/2 flow
 * control hold the calls at the client instead; good clients on their own connections, from the
 * same IP too, are not touched.
 *
 * How: each stream a braked connection opens moves its next read 1000 / callsPerSecond ms on;
 * while that lies ahead, the socket's libuv reads are stopped (the TCP handle Node's HTTP/2 reads
 * from directly, so a paused JS socket would not stop it). One read may bring many calls at once
 * (a 64 KiB read of 1 KiB sends: ~50); the wait that follows is longer by as much.
 *
 * The braked connections of one IP share that pace: each stream read from any of them moves the
 * IP's next read on too, and no braked connection of the IP is read before it (up to
 * READ_BRAKE_MAX_PAUSE_MS). Else a flood spread over many connections, one call in flight on each,
 * was read as fast as the ACL answered it: 1,000 connections cost the broker 7.9 s of CPU a minute
 * against 1.6 s for one connection (docs/benchmarks.md, session 18).
 *
 * TLS: Node's HTTP/2 session stops its stream's reads while a write is in progress and restarts
 * them when it completes. Over plaintext, writes to a client that reads its answers complete at
 * once and the brake holds; over TLS they complete later and each restarts the reads, so a TLS
 * socket on the TCP handle cannot be braked. A TLS connection from an IP the server would brake
 * at connect is made over a ReadGate (read-gate.ts) whose reads the brake holds; a TLS connection
 * without one is closed when braked (`closeUngatedTls`, on servers that gate): its client's next
 * connection, from an IP braked in the last minute, is gated and braked from its first call.
 */

/**
 * The longest a braked connection's next read is put off (calls read beyond its rate past this are
 * forgiven). Long on purpose: one read brings up to 64 KiB, tens to hundreds of calls, and a cap of
 * 5 s let a flood through at ~36 calls a second (docs/benchmarks.md, session 16); left unread this
 * long, a flooding client's own keepalive gives the connection up, its backlog never read. The cost:
 * a good call sharing a braked connection (two clients of one process share grpc-js's connection)
 * waits for that read, which the ACL avoids by never braking a connection with a recent good call.
 */
export const READ_BRAKE_MAX_PAUSE_MS = 60_000;
/**
 * A connection braked from its first call (its IP keeps failing) is read again this soon once: a
 * good client's first call may come in two reads (HEADERS, then DATA), and its acceptance frees
 * the connection.
 */
export const READ_BRAKE_FIRST_READ_GRACE_MS = 100;
/**
 * That read is a window, not a turn: reads stay open this long after it, then stop until the
 * connection's turn if that is still ahead. Left open, a flooder's next call (sent when its first was
 * answered, seconds later) was read whenever it came: two calls per connection instead of one.
 */
export const READ_BRAKE_FIRST_READ_WINDOW_MS = 1_000;
/** Connections braked at once per server; past it a new brake is refused (the ACL's pacing still applies). */
export const READ_BRAKE_MAX_CONNECTIONS = 4_096;

/** The libuv stream under a socket (TCPWrap, TLSWrap): Node's own read switch. */
interface ReadHandle {
  readStop(): number;
  readStart(): number;
}

interface Session {
  session: http2.ServerHttp2Session;
  handle: ReadHandle;
  /** TLS on the TCP handle: reads a brake cannot hold (see above). */
  ungatedTls: boolean;
}

export interface ReadBrakeOptions {
  /** Close a braked TLS connection that has no ReadGate rather than brake it in vain. */
  closeUngatedTls?: boolean;
}

interface Brake {
  callsPerSecond: number;
  /** When the connection may be read again. */
  readFromMs: number;
  timer: NodeJS.Timeout | undefined;
  /** Braked at connect: the first wait is cut to READ_BRAKE_FIRST_READ_GRACE_MS. */
  grace: boolean;
  onStream: () => void;
}

/** Whether a new connection from `remote` is braked from its first call, and how. */
export type ConnectBrake = (remote: string) => { callsPerSecond: number } | undefined;

export interface ReadBrakeStats {
  /** Connections braked now. */
  braked: number;
  /** Connections braked since start. */
  brakedTotal: number;
  /** Calls (HTTP/2 streams) read from braked connections since start. */
  streamsTotal: number;
}

export class ReadBrakes {
  private readonly sessions = new Map<string, Session>();
  private readonly brakes = new Map<string, Brake>();
  /** When each IP's braked connections may next be read (shared by them; least recently moved first). */
  private readonly ipReadFromMs = new Map<string, number>();
  private brakedTotal = 0;
  private streamsTotal = 0;

  constructor(
    private readonly nowMs: () => number = Date.now,
    private readonly options: ReadBrakeOptions = {},
  ) {}

  /**
   * Makes a session brakable under its peer's "ip:port" (grpc-js's call.getPeer()), braked from its
   * first call when `atConnect` says so: a client whose IP keeps failing opens a new connection
   * (after the server's keepalive closed the braked one) with all its calls in flight at once.
   */
  add(remote: string, session: http2.ServerHttp2Session, atConnect?: ConnectBrake): void {
    const socket = session.socket as unknown as { [READ_GATE]?: ReadHandle; encrypted?: boolean } | undefined;
    const gate = socket?.[READ_GATE];
    const handle = gate ?? readHandleOf(session);
    if (!remote || !handle) return;
    this.sessions.set(remote, { session, handle, ungatedTls: !gate && socket?.encrypted === true });
    session.once('close', () => {
      this.release(remote);
      if (this.sessions.get(remote)?.session === session) this.sessions.delete(remote);
    });
    const initial = atConnect?.(remote);
    if (initial) this.brake(remote, initial.callsPerSecond, true);
  }

  /**
   * Reads the connection of `remote` at callsPerSecond until released or closed. False when no
   * such connection is open here (or too many are braked).
   */
  brake(remote: string, callsPerSecond: number, atConnect = false): boolean {
    const s = this.sessions.get(remote);
    if (!s || s.session.destroyed || callsPerSecond <= 0) return false;
    const now = this.nowMs();
    const existing = this.brakes.get(remote);
    if (existing) {
      existing.callsPerSecond = callsPerSecond;
      return true;
    }
    if (this.brakes.size >= READ_BRAKE_MAX_CONNECTIONS) return false;
    if (s.ungatedTls && this.options.closeUngatedTls) {
      this.brakedTotal++;
      s.session.destroy();
      return true;
    }
    const b: Brake = { callsPerSecond, readFromMs: now, timer: undefined, grace: atConnect, onStream: () => this.onStream(remote, s, b) };
    this.brakes.set(remote, b);
    this.brakedTotal++;
    s.session.on('stream', b.onStream);
    return true;
  }

  /** Reads the connection freely again (e.g. a call on it was accepted). */
  release(remote: string): void {
    const b = this.brakes.get(remote);
    if (!b) return;
    this.brakes.delete(remote);
    const s = this.sessions.get(remote);
    s?.session.off('stream', b.onStream);
    if (b.timer) {
      clearTimeout(b.timer);
      b.timer = undefined;
      if (s && !s.session.destroyed) s.handle.readStart();
    }
  }

  stats(): ReadBrakeStats {
    return { braked: this.brakes.size, brakedTotal: this.brakedTotal, streamsTotal: this.streamsTotal };
  }

  private onStream(remote: string, s: Session, b: Brake): void {
    const now = this.nowMs();
    this.streamsTotal++;
    const intervalMs = 1000 / b.callsPerSecond;
    const ipReadFromMs = this.moveIpPace(ipOfRemote(remote), now, intervalMs);
    b.readFromMs = Math.min(Math.max(Math.max(now, b.readFromMs) + intervalMs, ipReadFromMs), now + READ_BRAKE_MAX_PAUSE_MS);
    // Stopped again even when already stopped: Node's HTTP/2 restarts its reads after a write that
    // completed asynchronously; a call read since tells it did.
    s.handle.readStop();
    if (b.timer) return; // the wake-up sees the later time
    b.timer = setTimeout(() => this.wake(remote, s, b), b.grace ? READ_BRAKE_FIRST_READ_GRACE_MS : b.readFromMs - now);
    b.timer.unref();
  }

  /** One stream read from `ip`'s braked connections: their shared next read moves an interval on. */
  private moveIpPace(ip: string, now: number, intervalMs: number): number {
    const at = Math.min(Math.max(now, this.ipReadFromMs.get(ip) ?? 0) + intervalMs, now + READ_BRAKE_MAX_PAUSE_MS);
    this.ipReadFromMs.delete(ip); // re-inserted: Map order is least recently moved first
    this.ipReadFromMs.set(ip, at);
    if (this.ipReadFromMs.size > READ_BRAKE_MAX_CONNECTIONS) this.ipReadFromMs.delete(this.ipReadFromMs.keys().next().value as string);
    return at;
  }

  /** Reads again once the connection's time has come (waits on if streams read since moved it). */
  private wake(remote: string, s: Session, b: Brake): void {
    const now = this.nowMs();
    if (b.readFromMs > now && !b.grace) {
      b.timer = setTimeout(() => this.wake(remote, s, b), b.readFromMs - now);
      b.timer.unref();
      return;
    }
    b.timer = undefined;
    const grace = b.grace;
    b.grace = false;
    if (s.session.destroyed) return;
    s.handle.readStart();
    if (!grace || b.readFromMs <= now) return;
    b.timer = setTimeout(() => this.closeWindow(remote, s, b), READ_BRAKE_FIRST_READ_WINDOW_MS);
    b.timer.unref();
  }

  /** The first read's window has passed: reads stop until the connection's turn, if it is still ahead. */
  private closeWindow(remote: string, s: Session, b: Brake): void {
    b.timer = undefined;
    if (s.session.destroyed || b.readFromMs <= this.nowMs()) return;
    s.handle.readStop();
    this.wake(remote, s, b);
  }
}

/** "1.2.3.4" of "1.2.3.4:5678", "::1" of "::1:5678" or "[::1]:5678". */
function ipOfRemote(remote: string): string {
  const colon = remote.lastIndexOf(':');
  const host = colon > 0 ? remote.slice(0, colon) : remote;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Node keeps the libuv stream a session reads from as the socket's _handle (the socket proxy passes it through). */
function readHandleOf(session: http2.ServerHttp2Session): ReadHandle | undefined {
  const handle = (session.socket as unknown as { _handle?: Partial<ReadHandle> } | undefined)?._handle;
  return typeof handle?.readStop === 'function' && typeof handle.readStart === 'function' ? (handle as ReadHandle) : undefined;
}
