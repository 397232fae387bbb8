import { type OrbitError, OrbitError as Err, remotingResponseCode } from '@orbitmq/protocol';
import { type RemotingCommand, createResponse } from '@orbitmq/remoting';

/** A required header field, or BAD_REQUEST naming it. */
export function requireField(h: Record<string, string>, name: string): string {
  const v = h[name];
  if (v === undefined || v === '') throw new Err('BAD_REQUEST', `header field ${name} is required`);
  return v;
}

/**
 * An integer header field within [min, max]; `fallback` when absent (required otherwise). Java
 * writes ints and longs as decimal strings; ali-ons' JSON numbers arrive already stringified.
 */
export function headerInt(h: Record<string, string>, name: string, min: number, max: number, fallback?: number): number {
  const raw = h[name];
  if (raw === undefined || raw === '') {
    if (fallback === undefined) throw new Err('BAD_REQUEST', `header field ${name} is required`);
    return fallback;
  }
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw new Err('BAD_REQUEST', `header field ${name}='${raw.slice(0, 24)}' must be an integer in ${min}-${max}`);
  return v;
}

/** A boolean header field ("true"/"false"). */
export function headerBool(h: Record<string, string>, name: string): boolean {
  return h[name] === 'true';
}

/** The 4.x response for an error from the table, its message as the remark. */
export function errorResponse(cmd: RemotingCommand, err: OrbitError): RemotingCommand {
  return createResponse(cmd, remotingResponseCode(err.code), `${err.code}: ${err.message}`);
}
