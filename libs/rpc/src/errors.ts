import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY, OrbitError, type ErrorCode, errorSpec, isErrorCode, toOrbitError } from '@orbitmq/protocol';

/** Turns any thrown error into the gRPC error an internal service returns (status + code trailer). */
export function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  const orbit = toOrbitError(err);
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, orbit.code);
  return { code: orbit.spec.grpcStatus, details: `${orbit.code}: ${orbit.message}`, metadata };
}

/** gRPC statuses that mean "try again" when the peer named no table code. */
const RETRIABLE_STATUSES = new Set<number>([grpc.status.UNAVAILABLE, grpc.status.RESOURCE_EXHAUSTED]);

/** Reads the table code back from a failed call (transport failures become SERVICE_UNAVAILABLE etc.). */
export function fromServiceError(err: grpc.ServiceError): OrbitError {
  const fromTrailer = err.metadata?.get(ERROR_CODE_METADATA_KEY)[0];
  if (isErrorCode(fromTrailer)) {
    const details = err.details ?? '';
    const message = details.startsWith(`${fromTrailer}: `) ? details.slice(fromTrailer.length + 2) : details;
    return new OrbitError(fromTrailer, message, { cause: err });
  }
  const byStatus: Partial<Record<number, ErrorCode>> = {
    [grpc.status.UNAVAILABLE]: 'SERVICE_UNAVAILABLE',
    [grpc.status.DEADLINE_EXCEEDED]: 'SERVICE_UNAVAILABLE',
    [grpc.status.RESOURCE_EXHAUSTED]: 'TOO_MANY_REQUESTS',
    [grpc.status.UNIMPLEMENTED]: 'NOT_IMPLEMENTED',
    [grpc.status.INVALID_ARGUMENT]: 'BAD_REQUEST',
    [grpc.status.NOT_FOUND]: 'NOT_FOUND',
  };
  return new OrbitError(byStatus[err.code] ?? 'INTERNAL_ERROR', err.details || err.message, { cause: err });
}

export function isRetriable(err: grpc.ServiceError): boolean {
  const code = err.metadata?.get(ERROR_CODE_METADATA_KEY)[0];
  if (isErrorCode(code)) return errorSpec(code).retriable;
  return RETRIABLE_STATUSES.has(err.code) || err.code === grpc.status.DEADLINE_EXCEEDED;
}
