import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { OrbitError } from '@orbitmq/protocol';
import { clusterAuthOptions } from './cluster-auth';
import { fromServiceError, isRetriable } from './errors';
import { CHANNEL_OPTIONS, DEFAULT_DEADLINE_MS, DEFAULT_RETRIES, DEFAULT_RETRY_DELAY_MS } from './limits';

export interface CallOptions {
  /** Deadline of each attempt. */
  deadlineMs?: number;
  /** Further attempts after a retriable failure (never after a non-retriable one). */
  retries?: number;
  retryDelayMs?: number;
  /** Metadata for each attempt, made afresh (e.g. a signature over the attempt's time). */
  metadata?: () => Record<string, string>;
}

type ClientCtor<C> = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => C;

/** TLS for the process's own outgoing gRPC connections (RocketMQ's client-side tls.enable). */
export interface ClientTls {
  /** CA bundle the servers' certificates must chain to (default: the system's roots). */
  trustCertFile?: string;
  /** A client certificate and key, for servers that require one (mutual TLS). */
  certFile?: string;
  keyFile?: string;
}

let credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure();

/**
 * Makes every client this process creates afterwards (createClient, channelCredentials) use TLS,
 * or plaintext again with undefined. Apps call it once at start from their tls* keys.
 */
export function useClientTls(tls: ClientTls | undefined): void {
  if (!tls) {
    credentials = grpc.credentials.createInsecure();
    return;
  }
  const read = (file: string | undefined, what: string): Buffer | null => {
    if (!file) return null;
    try {
      return fs.readFileSync(file);
    } catch (e) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  credentials = grpc.credentials.createSsl(read(tls.trustCertFile, 'trust certificate'), read(tls.keyFile, 'key'), read(tls.certFile, 'certificate'));
}

/** The credentials of this process's outgoing connections (plaintext unless useClientTls). */
export function channelCredentials(): grpc.ChannelCredentials {
  return credentials;
}

/** A client for one "host:port" with OrbitMQ's channel limits. */
export function createClient<C extends grpc.Client>(Ctor: ClientCtor<C>, address: string): C {
  return new Ctor(address, credentials, { ...CHANNEL_OPTIONS, ...clusterAuthOptions() });
}

/**
 * A generated client method. TypeScript infers from the last overload, which is
 * (argument, callback); the call itself uses the (argument, options, callback) overload.
 */
type UnaryMethod<Req, Res> = (request: Req, callback: grpc.requestCallback<Res>) => grpc.ClientUnaryCall;
type UnaryWithOptions<Req, Res> = (request: Req, options: grpc.CallOptions, callback: grpc.requestCallback<Res>) => grpc.ClientUnaryCall;
type UnaryWithMetadata<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

/**
 * One unary call with a deadline per attempt and retries for retriable failures only. Failures
 * come back as OrbitError with the peer's table code.
 */
export async function callUnary<Req, Res>(client: grpc.Client, method: UnaryMethod<Req, Res>, request: Req, opts: CallOptions = {}): Promise<Res> {
  const retries = opts.retries ?? DEFAULT_RETRIES;
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<Res>((resolve, reject) => {
        const options = { deadline: Date.now() + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS) };
        const done = (err: grpc.ServiceError | null, res?: Res): void => (err ? reject(err) : resolve(res as Res));
        if (opts.metadata) {
          const metadata = new grpc.Metadata();
          for (const [k, v] of Object.entries(opts.metadata())) metadata.set(k, v);
          (method as unknown as UnaryWithMetadata<Req, Res>).call(client, request, metadata, options, done);
        } else {
          (method as unknown as UnaryWithOptions<Req, Res>).call(client, request, options, done);
        }
      });
    } catch (err) {
      const se = err as grpc.ServiceError;
      if (attempt >= retries || !isRetriable(se)) throw fromServiceError(se);
      await new Promise((r) => setTimeout(r, (opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS) * (attempt + 1)));
    }
  }
}

export { OrbitError };
