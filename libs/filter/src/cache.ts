import { FilterExpressionError } from './errors';
import { DEFAULT_FILTER_LIMITS, type FilterLimits } from './limits';
import { type CompiledFilter, compileSql92 } from './sql92';

/**
 * LRU of compiled expressions keyed by exact text. Failures are cached too (RocketMQ's PARSE_CACHE
 * does the same), so a bad expression sent on every poll is parsed once.
 */
export class FilterCache {
  private readonly capacity: number;
  private readonly limits: FilterLimits;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  private readonly entries = new Map<string, CompiledFilter | FilterExpressionError>();
  private hits = 0;
  private misses = 0;

  constructor(opts: { capacity?: number; limits?: FilterLimits } = {}) {
    this.capacity = Math.max(1, opts.capacity ?? 1024);
    this.limits = opts.limits ?? DEFAULT_FILTER_LIMITS;
  }

  /** The compiled filter; throws the (cached) FilterExpressionError. */
  get(expression: string): CompiledFilter {
    let entry = this.entries.get(expression);
    if (entry !== undefined) {
      this.hits++;
      this.entries.delete(expression);
    } else {
      this.misses++;
      try {
        entry = compileSql92(expression, this.limits);
      } catch (e) {
        if (!(e instanceof FilterExpressionError)) throw e;
        entry = e;
      }
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(expression, entry);
    if (entry instanceof FilterExpressionError) throw entry;
    return entry;
  }

  get stats(): { hits: number; misses: number; size: number } {
    return { hits: this.hits, misses: this.misses, size: this.entries.size };
  }
}
