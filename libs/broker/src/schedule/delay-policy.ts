import { OrbitError } from '@orbitmq/protocol';

/** RocketMQ's default `messageDelayLevel`: level n (1-based) waits the n-th duration. */
export const DEFAULT_DELAY_LEVELS = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';
/** Most delay levels a `messageDelayLevel` setting may define. */
const MAX_DELAY_LEVELS = 64;

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** How far ahead a message may be scheduled, and what each classic delay level means. */
export interface DelayPolicy {
  levelsMs: readonly number[];
  maxDelayMs: number;
}

/** Parses RocketMQ's `messageDelayLevel` ("1s 5s 10m 2h ..."); throws Error naming the bad part. */
export function parseDelayLevels(spec: string): number[] {
  const parts = spec.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0 || parts.length > MAX_DELAY_LEVELS) throw new Error(`expected 1-${MAX_DELAY_LEVELS} durations like '1s 5m 2h', got ${parts.length}`);
  return parts.map((p) => {
    const m = /^(\d{1,9})([smhd])$/.exec(p);
    if (!m || Number(m[1]) === 0) throw new Error(`'${p}' is not a positive duration (number followed by s, m, h or d)`);
    return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  });
}

/**
 * The classic (remoting-era) ways a message asks for a delay, as user properties: a delay level,
 * or RocketMQ 5's timer properties. They are taken out of the user properties by the codec.
 */
export const CLASSIC_DELAY_PROPERTIES = ['DELAY', 'TIMER_DELIVER_MS', 'TIMER_DELAY_MS', 'TIMER_DELAY_SEC'] as const;
export type ClassicDelay = Partial<Record<(typeof CLASSIC_DELAY_PROPERTIES)[number], string>>;

function nonNegativeInt(name: string, v: string): number {
  if (!/^\d{1,15}$/.test(v)) throw new OrbitError('ILLEGAL_DELIVERY_TIME', `property ${name}='${v.slice(0, 20)}' must be a non-negative integer`);
  return Number(v);
}

/**
 * Due time of a message from its classic delay properties, or undefined when it asks for none.
 * Precedence as in RocketMQ: a delay level, then an absolute time, then a relative delay.
 * Levels above the highest are clamped to it; level 0 means no delay.
 */
export function classicDueMs(props: ClassicDelay, policy: DelayPolicy, nowMs: number): number | undefined {
  if (props.DELAY !== undefined) {
    const level = nonNegativeInt('DELAY', props.DELAY);
    if (level === 0) return undefined;
    const levels = policy.levelsMs;
    return nowMs + (levels[Math.min(level, levels.length) - 1] as number);
  }
  if (props.TIMER_DELIVER_MS !== undefined) return nonNegativeInt('TIMER_DELIVER_MS', props.TIMER_DELIVER_MS);
  if (props.TIMER_DELAY_MS !== undefined) return nowMs + nonNegativeInt('TIMER_DELAY_MS', props.TIMER_DELAY_MS);
  if (props.TIMER_DELAY_SEC !== undefined) return nowMs + nonNegativeInt('TIMER_DELAY_SEC', props.TIMER_DELAY_SEC) * 1_000;
  return undefined;
}

/** Refuses a due time beyond the maximum delay (a past time is fine: it is delivered at once). */
export function checkDueMs(dueMs: number, policy: DelayPolicy, nowMs: number): void {
  if (!Number.isSafeInteger(dueMs) || dueMs - nowMs > policy.maxDelayMs) {
    throw new OrbitError(
      'ILLEGAL_DELIVERY_TIME',
      `delivery time ${new Date(Math.min(dueMs, 8.64e15)).toISOString()} is more than ${policy.maxDelayMs / 1000} s ahead (timerMaxDelaySec)`,
    );
  }
}
