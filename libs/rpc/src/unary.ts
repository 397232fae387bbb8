import type * as grpc from '@grpc/grpc-js';
import { toOrbitError } from '@orbitmq/protocol';
import { toServiceError } from './errors';

/** Observes every handled call (apps turn this into request counters and latency histograms). */
export type CallObserver = (method: string, code: string, durationMs: number) => void;

/**
 * Adapts an async handler to grpc-js: resolves to the response, or to a coded gRPC error built from
 * the error table. Handlers never choose status numbers.
 */
export function unary<Req, Res>(
  method: string,
  handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res,
  observe?: CallObserver,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = performance.now();
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then(
        (res) => {
          observe?.(method, 'OK', performance.now() - started);
          callback(null, res);
        },
        (err: unknown) => {
          observe?.(method, toOrbitError(err).code, performance.now() - started);
          callback(toServiceError(err));
        },
      );
  };
}
