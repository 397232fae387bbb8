import * as fs from 'node:fs';
import { latencyHistogramUs, recordUs } from './histogram';
import { latencySummary } from './report';

/**
 * What a run counts: sends and receives, failures, request round trips (per-second avg/max and
 * the whole run's histogram) and end-to-end latency. One per run; the per-second line reads and
 * resets the window fields.
 */
export class Meter {
  sent = 0;
  received = 0;
  failures = 0;
  /** performance.now() of the first and the latest message received. */
  firstReceivedMs: number | undefined;
  lastReceivedMs: number | undefined;
  readonly sendRtUs = latencyHistogramUs();
  readonly e2eUs = latencyHistogramUs();
  /** This second's end-to-end latencies (the per-second line's p99). */
  private readonly windowE2eUs = latencyHistogramUs();
  private windowSent = 0;
  private windowReceived = 0;
  private windowRtSumUs = 0;
  private windowRtCount = 0;
  private windowRtMaxUs = 0;
  private windowFailures = 0;
  private lastLineMs = performance.now();
  /** Where the measured part of the run starts (after --warmupSec): time and counts then. */
  measuredFromMs = performance.now();
  sentBeforeMeasuring = 0;
  receivedBeforeMeasuring = 0;

  onSent(messages: number, rtUs: number): void {
    this.sent += messages;
    this.windowSent += messages;
    recordUs(this.sendRtUs, rtUs);
    this.windowRtSumUs += rtUs;
    this.windowRtCount++;
    if (rtUs > this.windowRtMaxUs) this.windowRtMaxUs = rtUs;
  }

  onReceived(messages: number): void {
    if (messages === 0) return;
    const now = performance.now();
    this.firstReceivedMs ??= now;
    this.lastReceivedMs = now;
    this.received += messages;
    this.windowReceived += messages;
  }

  /** Ends the warm-up: the histograms start over and rates count from here (counts keep going). */
  startMeasuring(): void {
    this.measuredFromMs = performance.now();
    this.sentBeforeMeasuring = this.sent;
    this.receivedBeforeMeasuring = this.received;
    this.sendRtUs.reset();
    this.e2eUs.reset();
  }

  onLatency(us: number): void {
    recordUs(this.e2eUs, us);
    recordUs(this.windowE2eUs, us);
  }

  onFailure(messages = 1): void {
    this.failures += messages;
    this.windowFailures += messages;
  }

  /** "send TPS, receive TPS, avg/max RT, failures" over the time since the last line. */
  line(): string {
    const now = performance.now();
    const sec = (now - this.lastLineMs) / 1000;
    const avgRtMs = this.windowRtCount ? this.windowRtSumUs / this.windowRtCount / 1000 : 0;
    const windowE2e = this.windowE2eUs.totalCount > 0 ? latencySummary(this.windowE2eUs) : undefined;
    const e2e = windowE2e ? ` | e2e p50 ${windowE2e.p50Ms} ms p99 ${windowE2e.p99Ms} ms` : '';
    this.windowE2eUs.reset();
    const text =
      `send ${Math.round(this.windowSent / sec)} msg/s | receive ${Math.round(this.windowReceived / sec)} msg/s | ` +
      `RT avg ${avgRtMs.toFixed(2)} ms max ${(this.windowRtMaxUs / 1000).toFixed(2)} ms | failures ${this.windowFailures}${e2e}`;
    this.lastLineMs = now;
    this.windowSent = this.windowReceived = this.windowRtSumUs = this.windowRtCount = this.windowRtMaxUs = this.windowFailures = 0;
    return text;
  }
}

/**
 * The thin client's options for this run: with ORBITMQ_ACCESS_KEY and ORBITMQ_SECRET_KEY set
 * (as mqadmin reads them), every call is signed for a broker with aclEnable; with ORBITMQ_TLS_CA
 * (a CA bundle, PEM), calls go over TLS trusting it.
 */
export function clientOptions(): { credentials?: { accessKey: string; accessSecret: string }; tlsTrustCert?: Buffer } {
  const accessKey = process.env.ORBITMQ_ACCESS_KEY;
  const accessSecret = process.env.ORBITMQ_SECRET_KEY;
  const ca = process.env.ORBITMQ_TLS_CA;
  return { ...(accessKey && accessSecret ? { credentials: { accessKey, accessSecret } } : {}), ...(ca ? { tlsTrustCert: fs.readFileSync(ca) } : {}) };
}
