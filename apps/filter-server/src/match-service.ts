import { type CompiledFilter, type FilterCache, FilterExpressionError, type PropertyLookup, headLookup } from '@orbitmq/filter';
import { MessageHeadView, OrbitError, type v1 } from '@orbitmq/protocol';
import { type CallObserver, unary } from '@orbitmq/rpc';

/** What one answered Match did (main.ts turns it into per-group metrics). */
export interface MatchReport {
  topic: string;
  group: string;
  /** Heads evaluated (all heads of the request). */
  evaluated: number;
  /** Heads whose bit is set. */
  matched: number;
  /** Heads not matched because their properties block is malformed (or evaluation threw). */
  errors: number;
  /** Compile (or cache lookup) plus evaluation. */
  durationMs: number;
}

export type MatchObserver = (report: MatchReport) => void;

export interface MatchServiceOptions {
  /** Compiled expressions by text (FilterCache: LRU with a negative cache). */
  cache: Pick<FilterCache, 'get'>;
  maxHeadsPerMatch: number;
  onMatch?: MatchObserver;
}

/** Result of evaluating one batch: bit i (byte i >> 3, bit i & 7, least significant first) = heads[i] matched. */
export interface BatchResult {
  matched: Buffer;
  matchedCount: number;
  errors: number;
}

/**
 * The head the filter library sees, reused for every head of every batch (MessageHeadView: fields
 * reassigned, properties read lazily), with its lookup built once: the hot loop allocates nothing
 * per head.
 */
export class ReusableHead extends MessageHeadView {
  readonly lookup: PropertyLookup = headLookup(this);
}

/** Evaluates one compiled expression over a batch of heads. Never throws for a bad head. */
export function evaluateHeads(
  filter: Pick<CompiledFilter, 'matches' | 'requiredTags'>,
  heads: readonly v1.MessageHead__Output[],
  head: ReusableHead = new ReusableHead(),
): BatchResult {
  const matched = Buffer.alloc((heads.length + 7) >> 3);
  let matchedCount = 0;
  let errors = 0;
  // Exact pre-filter: with `TAGS = 'x' AND ...` only those tags can match; others are not evaluated.
  const tags = filter.requiredTags;
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i] as v1.MessageHead__Output;
    if (tags !== undefined && !tags.has(h.tag)) continue;
    head.reset(h);
    let ok: boolean;
    try {
      ok = filter.matches(head.lookup);
    } catch {
      ok = false;
      head.malformed = true;
    }
    if (head.malformed) {
      errors++;
    } else if (ok) {
      matched[i >> 3] = (matched[i >> 3] as number) | (1 << (i & 7));
      matchedCount++;
    }
  }
  return { matched, matchedCount, errors };
}

/** orbitmq.v1.FilterService: evaluates SQL92 expressions over batches of message heads for brokers. */
export class MatchService {
  /** Evaluation is synchronous, so one head object serves every request. */
  private readonly head = new ReusableHead();

  constructor(private readonly opts: MatchServiceOptions) {}

  match(req: v1.MatchRequest__Output): v1.MatchResponse {
    const started = performance.now();
    const heads = req.heads ?? [];
    if (heads.length > this.opts.maxHeadsPerMatch) {
      throw new OrbitError('BAD_REQUEST', `${heads.length} heads exceed maxHeadsPerMatch ${this.opts.maxHeadsPerMatch}`);
    }
    const filter = this.compile(req.expression);
    const result = evaluateHeads(filter, heads, this.head);
    this.opts.onMatch?.({
      topic: req.topic,
      group: req.group,
      evaluated: heads.length,
      matched: result.matchedCount,
      errors: result.errors,
      durationMs: performance.now() - started,
    });
    return { matched: result.matched, evaluated: heads.length };
  }

  /** gRPC handlers; `observe` sees every call with its result code (OK, BAD_REQUEST, ...). */
  handlers(observe?: CallObserver): v1.FilterServiceHandlers {
    return { Match: unary<v1.MatchRequest__Output, v1.MatchResponse>('Match', (req) => this.match(req), observe) };
  }

  private compile(expression: string): CompiledFilter {
    try {
      return this.opts.cache.get(expression);
    } catch (err) {
      if (err instanceof FilterExpressionError) throw new OrbitError('ILLEGAL_FILTER_EXPRESSION', err.message, { cause: err });
      throw err;
    }
  }
}
