/**
 * Slows down whoever keeps failing authentication. Refusals for bad or missing credentials are
 * counted per remote IP in a fixed window; past `freeFailures` in one window, that IP's further
 * refusals are paced: answered one every 1000 / refusalsPerSecond ms, each held until its turn
 * (never longer than FAILURE_DELAY_MAX_WAIT_MS).
 *
 * Why: refusing costs the broker as much as serving (an HTTP/2 call or a remoting frame, then one
 * HMAC), so a flood of bad signatures at the rate of good traffic slows good clients like load
 * does (docs/benchmarks.md, "ACL cost and a flood"). A client waits for its answers, so pacing the
 * answers paces the client, up to the calls it keeps in flight per deadline (see below; a fixed
 * delay would let inFlight / delay through). Good requests are never held, even from the same IP: only a refusal
 * waits. Memory is bounded twice: the addresses tracked (least recently failing forgotten first)
 * and the refusals held (past `maxHeld`, answered at once).
 *
 * A refusal is never held past its caller's deadline: it is answered when FAILURE_DELAY_DEADLINE_SHARE
 * of the caller's time has passed. Held to its turn, a call that outlived its deadline was given up
 * unanswered: the client saw DEADLINE_EXCEEDED, not why it was refused.
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
/**
 * A refusal held for a caller with a deadline is answered after this share of the time it has left;
 * the rest is the answer's margin to reach the caller in time. The same share for all, not a random
 * one: calls sent together are then answered together, in one burst of work. Spread at random over
 * their last half (tried: docs/benchmarks.md, "A flood answered by its deadlines"), the answers cost
 * the broker 1.8x the CPU (spread thin, each call costs more; see there) and the flood came back more often.
 */
export const FAILURE_DELAY_DEADLINE_SHARE = 0.9;
/**
 * Held refusals answered per event-loop turn once due; the rest wait for the next turn. Calls sent
 * together fall due together: answered in one go, with the calls their callers send back at once,
 * 1,000 of them kept the event loop busy for ~0.5 s while good clients' calls waited. In turns of
 * this many, their I/O gets in between.
 */
export const FAILURE_DELAY_ANSWERS_PER_TURN = 16;

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

/** A refusal being held: answered when due, unless its caller went away first. */
interface HeldRefusal {
  answer: () => void;
  holding: boolean;
}

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
  /** Held refusals whose time has come, answered FAILURE_DELAY_ANSWERS_PER_TURN per turn. */
  private due: HeldRefusal[] = [];
  private dueHead = 0;
  private draining = false;
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
   * ~20 per second). `callerDeadlineMs` (epoch ms; Infinity: none) bounds the wait (see above).
   */
  refuse(ip: string, answer: () => void, callerDeadlineMs = Number.POSITIVE_INFINITY): () => void {
    const waitMs = this.held < this.options.maxHeld ? Math.min(this.waitFor(ip), this.beforeDeadline(callerDeadlineMs)) : 0;
    if (waitMs <= 0) {
      answer();
      return NOTHING_HELD;
    }
    this.held++;
    this.delayedTotal++;
    const refusal: HeldRefusal = { answer, holding: true };
    const timer = setTimeout(() => this.fallDue(refusal), waitMs);
    timer.unref(); // a held refusal never keeps a stopping process alive
    return () => {
      if (!refusal.holding) return;
      refusal.holding = false;
      clearTimeout(timer);
      this.held--;
      this.withdrawnTotal++;
    };
  }

  private fallDue(refusal: HeldRefusal): void {
    this.due.push(refusal);
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => this.answerDue());
  }

  /** Answers up to FAILURE_DELAY_ANSWERS_PER_TURN due refusals, then yields to I/O for the rest. */
  private answerDue(): void {
    let answered = 0;
    try {
      while (answered < FAILURE_DELAY_ANSWERS_PER_TURN && this.dueHead < this.due.length) {
        const refusal = this.due[this.dueHead++] as HeldRefusal;
        if (!refusal.holding) continue; // withdrawn while due
        refusal.holding = false;
        this.held--;
        answered++;
        refusal.answer();
      }
    } finally {
      // also after an answer that threw: the others are still answered
      if (this.dueHead < this.due.length) {
        setImmediate(() => this.answerDue());
      } else {
        this.due = [];
        this.dueHead = 0;
        this.draining = false;
      }
    }
  }

  /** Whether `ip`'s refusals are paced now (past its free failures in this window). */
  pastFreeFailures(ip: string): boolean {
    const s = this.byIp.get(ip);
    return (
      this.options.refusalsPerSecond > 0 && s !== undefined && s.failures > this.options.freeFailures && this.nowMs() - s.windowStartMs < this.options.windowMs
    );
  }

  stats(): FailureDelayStats {
    return { delayedTotal: this.delayedTotal, held: this.held, withdrawnTotal: this.withdrawnTotal, trackedAddresses: this.byIp.size };
  }

  /** How long a refusal may wait and still reach its caller before the deadline. */
  private beforeDeadline(callerDeadlineMs: number): number {
    if (!Number.isFinite(callerDeadlineMs)) return Number.POSITIVE_INFINITY; // no deadline (or none readable)
    return Math.floor((callerDeadlineMs - this.nowMs()) * FAILURE_DELAY_DEADLINE_SHARE);
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
