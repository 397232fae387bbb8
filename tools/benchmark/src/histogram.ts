import { build, type Histogram } from 'hdr-histogram-js';

/** A latency histogram in microseconds: HdrHistogram (hdr-histogram-js), fixed memory however many samples. */
export type LatencyHistogramUs = Histogram;

/** Covers up to an hour in µs before it has to grow (it still grows, autoResize, if a value is larger). */
const HIGHEST_TRACKABLE_US = 3_600_000_000;

/**
 * A new µs histogram: 3 significant digits (any value known within 0.1 %, values below 2048 µs exact),
 * and the pure-JS build, so the tool never needs WebAssembly.
 */
export function latencyHistogramUs(): LatencyHistogramUs {
  return build({ useWebAssembly: false, numberOfSignificantValueDigits: 3, highestTrackableValue: HIGHEST_TRACKABLE_US, autoResize: true });
}

/** Records one latency. Whole µs only, and never negative (HdrHistogram throws on negatives; clocks can step back). */
export function recordUs(h: LatencyHistogramUs, valueUs: number): void {
  h.recordValue(Math.max(0, Math.floor(valueUs)));
}

/**
 * The value at a percentile (0-100) in µs: HdrHistogram's highest value equivalent to the one there,
 * capped at the exact recorded max (so p100 is the max, not the top of its bucket). 0 when empty.
 */
export function percentileUs(h: LatencyHistogramUs, percentile: number): number {
  return h.totalCount === 0 ? 0 : Math.min(h.getValueAtPercentile(percentile), h.maxValue);
}
