import * as grpc from '@grpc/grpc-js';
import { v2Signature } from '@orbitmq/acl';
import { orbitmqV1, toOrbitError, type v1 } from '@orbitmq/protocol';
import { callUnary, createClient } from '@orbitmq/rpc';
import type { AdminOptions } from './options';
import type { BrokerTarget } from './targets';

type AdminClient = v1.BrokerAdminClient;
export type AdminMethod<Req, Res> = (c: AdminClient) => (req: Req, cb: (e: grpc.ServiceError | null, r?: Res) => void) => unknown;

/** Brokers called at once by a fan-out: enough to hide latency, few enough not to flood a big cluster. */
export const FAN_OUT_MAX_CONCURRENT_CALLS = 16;

/** v5 request headers signed with an ACL account (MQv2-HMAC-SHA1 over x-mq-date-time), made afresh per call. */
export function signedHeaders(accessKey: string, secretKey: string): Record<string, string> {
  const dateTime = `${new Date().toISOString().split('.')[0]?.replace(/[-:]/g, '')}Z`;
  return {
    'x-mq-date-time': dateTime,
    authorization: `MQv2-HMAC-SHA1 Credential=${accessKey}, SignedHeaders=x-mq-date-time, Signature=${v2Signature(secretKey, dateTime)}`,
  };
}

function signing(opts: AdminOptions): { metadata?: () => Record<string, string> } {
  const { accessKey, secretKey } = opts;
  return accessKey && secretKey ? { metadata: () => signedHeaders(accessKey, secretKey) } : {};
}

/** Calls one BrokerAdmin method on one broker, with the timeoutMs deadline and one retry. */
export async function callBroker<Req, Res>(opts: AdminOptions, address: string, method: AdminMethod<Req, Res>, req: Req): Promise<Res> {
  const client = createClient(orbitmqV1().BrokerAdmin, address);
  try {
    return (await callUnary(client, method(client) as never, req, { deadlineMs: opts.timeoutMs, retries: 1, ...signing(opts) })) as Res;
  } finally {
    client.close();
  }
}

/** One broker's part of a fan-out: its answer, or why it gave none (never a made-up empty answer). */
export type BrokerResult<Res> = { target: BrokerTarget; ok: true; res: Res } | { target: BrokerTarget; ok: false; code: string; error: string };

/**
 * Calls `call` on every target, at most FAN_OUT_MAX_CONCURRENT_CALLS at once, each within the
 * deadline. Results keep the targets' order; a broker that fails or times out is a result naming
 * it and the reason, so callers show partial results instead of zeros.
 */
export async function fanOut<Res>(targets: readonly BrokerTarget[], call: (t: BrokerTarget) => Promise<Res>): Promise<BrokerResult<Res>[]> {
  const out: BrokerResult<Res>[] = new Array(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < targets.length; i = next++) {
      const target = targets[i] as BrokerTarget;
      try {
        out[i] = { target, ok: true, res: await call(target) };
      } catch (e) {
        const err = toOrbitError(e);
        out[i] = { target, ok: false, code: err.code, error: err.message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FAN_OUT_MAX_CONCURRENT_CALLS, targets.length) }, worker));
  return out;
}

/** The same BrokerAdmin method on every target (see fanOut). */
export function onEvery<Req, Res>(opts: AdminOptions, targets: readonly BrokerTarget[], method: AdminMethod<Req, Res>, req: Req): Promise<BrokerResult<Res>[]> {
  return fanOut(targets, (t) => callBroker(opts, t.address, method, req));
}

/** A server stream from one broker; `cancel` ends it (and the broker's work) early. */
export interface BrokerStream<Chunk> {
  chunks: AsyncIterable<Chunk>;
  cancel: () => void;
}

/** BrowseMessages on one broker, signed like every admin call; the stream has no deadline (cancel it). */
export function browseBroker(opts: AdminOptions, address: string, req: v1.BrowseMessagesRequest): BrokerStream<v1.BrowseMessagesChunk__Output> {
  const client = createClient(orbitmqV1().BrokerAdmin, address);
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(signing(opts).metadata?.() ?? {})) md.set(k, v);
  const call = client.BrowseMessages(req, md);
  call.on('close', () => client.close());
  call.on('error', () => client.close());
  return {
    chunks: call as AsyncIterable<v1.BrowseMessagesChunk__Output>,
    cancel: () => {
      call.cancel();
      client.close();
    },
  };
}
