import { type CompiledFilter, headLookup } from '@orbitmq/filter';
import { MessageHeadView } from '@orbitmq/protocol';
import type { StoreRecord } from '../store-port';

/**
 * The broker's own SQL92 evaluation (the fallback when no filter server answers): the same
 * library and the same head view as a filter server, so both give identical results. A record
 * whose properties block cannot be read does not match (never delivered unfiltered).
 */
export function evaluateLocally(compiled: CompiledFilter, records: readonly StoreRecord[]): boolean[] {
  const head = new MessageHeadView();
  const lookup = headLookup(head);
  return records.map((r) => {
    head.reset(r);
    try {
      return compiled.matches(lookup) && !head.malformed;
    } catch {
      return false; // the block is truncated: reading it threw
    }
  });
}

/** A Match answer's bitset as booleans; a short bitset means "not matched" for the missing bits. */
export function bitsetToFlags(bits: Buffer, count: number): boolean[] {
  const out = new Array<boolean>(count);
  for (let i = 0; i < count; i++) out[i] = i >> 3 < bits.length && ((bits[i >> 3] as number) & (1 << (i & 7))) !== 0;
  return out;
}
