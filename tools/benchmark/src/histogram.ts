/**
 * A log-linear latency histogram in the spirit of HdrHistogram: values (microseconds) fall into
 * buckets whose width is 1/SUB_BUCKETS of their power of two, so any recorded value is known to
 * within 1/SUB_BUCKETS (~0.8 %) and memory is fixed (OCTAVES x SUB_BUCKETS counters), however many
 * samples are recorded. Values below SUB_BUCKETS µs are exact.
 */
const SUB_BUCKET_BITS = 7;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** Up to 2^40 µs (12.7 days): far beyond any latency worth measuring. */
const OCTAVES = 40 - SUB_BUCKET_BITS + 1;

export class Histogram {
  private readonly counts = new Float64Array(OCTAVES * SUB_BUCKETS);
  private total = 0;
  private sum = 0;
  private maxUs = 0;

  record(valueUs: number): void {
    const v = Math.max(0, Math.floor(valueUs));
    const i = indexOf(v);
    this.counts[i] = (this.counts[i] as number) + 1;
    this.total++;
    this.sum += v;
    if (v > this.maxUs) this.maxUs = v;
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxUs;
  }

  mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  /** The value at a percentile (0-100): the upper edge of the bucket holding it, capped at max. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] as number;
      if (seen >= rank) return Math.min(upperEdge(i), this.maxUs);
    }
    return this.maxUs;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sum = 0;
    this.maxUs = 0;
  }
}

function indexOf(v: number): number {
  if (v < SUB_BUCKETS) return v;
  const octave = Math.floor(Math.log2(v)) - SUB_BUCKET_BITS + 1;
  const sub = Math.floor(v / 2 ** (octave - 1)) - SUB_BUCKETS;
  return Math.min(OCTAVES - 1, octave) * SUB_BUCKETS + Math.min(SUB_BUCKETS - 1, sub);
}

function upperEdge(i: number): number {
  const octave = Math.floor(i / SUB_BUCKETS);
  const sub = i % SUB_BUCKETS;
  if (octave === 0) return sub;
  return (SUB_BUCKETS + sub + 1) * 2 ** (octave - 1) - 1;
}
