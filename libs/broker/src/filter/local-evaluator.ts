import { type CompiledFilter, headLookup } from '@orbitmq/filter';
import { SystemProp, UserPropertyReader, readSystemProperty } from '@orbitmq/protocol';
import type { StoreRecord } from '../store-port';

const SHARDING_KEY = '__SHARDINGKEY';

/**
 * The broker's own SQL92 evaluation (the fallback when no filter server answers): the same
 * library and the same lazy property reads as a filter server, so both give identical results.
 * A record whose properties block cannot be read does not match (never delivered unfiltered).
 */
export function evaluateLocally(compiled: CompiledFilter, records: readonly StoreRecord[]): boolean[] {
  const wantsGroup = compiled.propertyNames.has(SHARDING_KEY);
  const reader = new UserPropertyReader();
  const userProperty = (name: string) => reader.get(name);
  return records.map((r) => {
    try {
      const props = r.properties;
      reader.reset(props);
      const lookup = headLookup({
        tag: r.tag,
        keys: r.keys,
        messageId: r.messageId,
        messageGroup: wantsGroup ? readSystemProperty(props, SystemProp.messageGroup) : undefined,
        userProperty,
      });
      return compiled.matches(lookup);
    } catch {
      return false;
    }
  });
}

/** A Match answer's bitset as booleans; a short bitset means "not matched" for the missing bits. */
export function bitsetToFlags(bits: Buffer, count: number): boolean[] {
  const out = new Array<boolean>(count);
  for (let i = 0; i < count; i++) out[i] = i >> 3 < bits.length && ((bits[i >> 3] as number) & (1 << (i & 7))) !== 0;
  return out;
}
