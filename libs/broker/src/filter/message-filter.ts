import type { StoreRecord } from '../store-port';

/**
 * What a consumer's subscription lets through, as the read paths (pop and pull) use it: an exact
 * pre-filter on the consume queue's tag hash, then a decision per record. Tag subscriptions decide
 * at once; SQL92 subscriptions ask the filter servers (or the broker's own evaluator), so the
 * decision may be asynchronous and may fail: a failure is thrown, never "everything matches".
 */
export interface MessageFilter {
  /** Tags whose hash the consume queue must match; undefined: every entry is a candidate. */
  readonly tags: ReadonlySet<string> | undefined;
  /**
   * Queue entries a scan reads at once to find `want` messages. Tag filters (undefined) read
   * `want`: the consume queue's tag hash already skipped the rest. SQL92 filters size the window
   * by the match ratio they observed, so one filter-server round trip finds about what the pop
   * can take (a selective expression reads far ahead, a broad one little more than `want`).
   */
  readonly scanWindow: ((want: number) => number) | undefined;
  /** Which records pass, in order (same length as `records`). */
  select(records: readonly StoreRecord[]): boolean[] | Promise<boolean[]>;
}

/** '*' (or no expression): everything. */
export const MATCH_ALL: MessageFilter = {
  tags: undefined,
  scanWindow: undefined,
  select: (records) => records.map(() => true),
};

/** A tag subscription: the hash pre-filter, then the record's own tag decides (hashes collide). */
export function tagMessageFilter(tags: ReadonlySet<string>): MessageFilter {
  return { tags, scanWindow: undefined, select: (records) => records.map((r) => tags.has(r.tag)) };
}
