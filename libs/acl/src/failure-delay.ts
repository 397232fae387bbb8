/**
 * Slows down whoever keeps failing authentication. Refusals for bad or missing credentials are
 * counted per remote IP in a fixed window; past `freeFailures` in one window, that IP's further
 * refusals are paced: answered one every 1000 / refusalsPerSecond ms, each held until its turn
 * (never longer than FAILURE_DELAY_MAX_WAIT_MS).
 *
 * Why: refusing costs the broker as much as serving (an HTTP/2 call or a remoting frame, then one
 * HMAC), so a flood of bad signatures at the rate of good traffic slows good clients like load
 * does (docs/benchmarks.md, "ACL cost and a flood"). A client waits for its answers, so pacing the
 * answers paces the client, however many requests it keeps in flight (a fixed delay would let
 * inFlight / delay through). Good requests are never held, even from the same IP: only a refusal
 * waits. Memory is bounded twice: the addresses tracked (least recently failing forgotten first)
 * and the refusals held (past `maxHeld`, answered at once).
 */
export interface FailureDelayOptions {
  /** Length of the counting window per IP. */
  windowMs: number;
  /** Refusals per IP and window answered at once (a mistyped secret, a clock off by a minute). */
  freeFailures: number;
  /** Past the free failures, an IP's refusals are answered at this rate; 0 turns pacing off. */
  refusalsPerSecond: number;
  /** Refusals held at once across all IPs; past it they are answered at once. */
  maxHeld: number;
  nowMs?: () => number;
}

/** How many IPs are counted at once; the least recently failing are forgotten first. */
export const FAILURE_DELAY_MAX_TRACKED_ADDRESSES = 4096;
/** The longest a refusal is held: a queue deeper than this is answered at this wait, not later. */
export const FAILURE_DELAY_MAX_WAIT_MS = 60_000;

export interface FailureDelayStats {
  /** Refusals answered after a wait, since start. */
  delayedTotal: number;
  /** Refusals held now. */
  held: number;
  /** Held refusals dropped because their caller went away first, since start. */
  withdrawnTotal: number;
  trackedAddresses: number;
}

const NOTHING_HELD = (): void => undefined;

interface IpState {
  windowStartMs: number;
  failures: number;
  /** When this IP's next held refusal may be answered. */
  nextTurnMs: number;
}

export class FailureDelay {
  private readonly byIp = new Map<string, IpState>();
  private held = 0;
  private delayedTotal = 0;
  private withdrawnTotal = 0;
  private readonly nowMs: () => number;

  constructor(private readonly options: FailureDelayOptions) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /**
   * Counts a refusal from `ip` and calls `answer` now, or at the IP's next turn once past the free
   * failures. Returns `withdraw`: the caller went away (a cancelled call, a closed connection), so
   * a held refusal is dropped unanswered and frees its place. Without it a client that cancels at
   * its deadline and sends again filled `maxHeld` with refusals nobody waited for, and from then on
   * every refusal was answered at once (a 70 s flood, 1,000 in flight: 69,000 refusals instead of
   * ~20 per second).
   */
  refuse(ip: string, answer: () => void): () => void {
    const waitMs = this.held < this.options.maxHeld ? this.waitFor(ip) : 0;
    if (waitMs <= 0) {
      answer();
      return NOTHING_HELD;
    }
    this.held++;
    this.delayedTotal++;
    let holding = true;
    const timer = setTimeout(() => {
      holding = false;
      this.held--;
      answer();
    }, waitMs);
    timer.unref(); // a held refusal never keeps a stopping process alive
    return () => {
      if (!holding) return;
      holding = false;
      clearTimeout(timer);
      this.held--;
      this.withdrawnTotal++;
    };
  }

  stats(): FailureDelayStats {
    return { delayedTotal: this.delayedTotal, held: this.held, withdrawnTotal: this.withdrawnTotal, trackedAddresses: this.byIp.size };
  }

  /** Records the failure; how long its refusal waits (0: answer now). */
  private waitFor(ip: string): number {
    if (this.options.refusalsPerSecond <= 0) return 0;
    const now = this.nowMs();
    let s = this.byIp.get(ip);
    if (s) this.byIp.delete(ip); // re-inserted below: Map order is least recently failing first
    s ??= { windowStartMs: now, failures: 0, nextTurnMs: now };
    if (now - s.windowStartMs >= this.options.windowMs) {
      s.windowStartMs = now;
      s.failures = 0;
    }
    s.failures++;
    this.byIp.set(ip, s);
    if (this.byIp.size > FAILURE_DELAY_MAX_TRACKED_ADDRESSES) this.byIp.delete(this.byIp.keys().next().value as string);
    if (s.failures <= this.options.freeFailures) return 0;
    const turn = Math.max(now, s.nextTurnMs) + 1000 / this.options.refusalsPerSecond;
    if (turn - now > FAILURE_DELAY_MAX_WAIT_MS) return FAILURE_DELAY_MAX_WAIT_MS; // the queue's tail does not move further out
    s.nextTurnMs = turn;
    return turn - now;
  }
}
