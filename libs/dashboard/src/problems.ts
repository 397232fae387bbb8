import { ERROR_TABLE, type ErrorCode, toOrbitError } from '@orbitmq/protocol';

/**
 * What every failed API call answers: `{ code, message }` with a stable code. Cluster errors keep
 * the error table's code and take their HTTP status from its RocketMQ code (40402 -> 404); the
 * dashboard's own refusals (login, CSRF, read-only) use DASHBOARD_CODES.
 */
export interface Problem {
  status: number;
  code: string;
  message: string;
}

/** The dashboard's own refusals, by code. */
export const DASHBOARD_CODES = {
  NOT_LOGGED_IN: 401,
  LOGIN_FAILED: 401,
  CSRF: 403,
  READ_ONLY: 403,
  ROLE: 403,
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  TOO_MANY: 429,
} as const;

export type DashboardCode = keyof typeof DASHBOARD_CODES;

export class DashboardError extends Error {
  constructor(
    readonly code: DashboardCode,
    message: string,
  ) {
    super(message);
  }
}

export function problemOf(err: unknown): Problem {
  if (err instanceof DashboardError) return { status: DASHBOARD_CODES[err.code], code: err.code, message: err.message };
  const fastify = err as { validation?: unknown; statusCode?: number; message?: string };
  if (fastify.validation) return { status: 400, code: 'BAD_INPUT', message: fastify.message ?? 'bad input' };
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return { status: fastify.statusCode, code: 'BAD_INPUT', message: fastify.message ?? 'bad request' };
  }
  const orbit = toOrbitError(err);
  const spec = ERROR_TABLE[orbit.code as ErrorCode];
  const family = spec ? Math.floor(spec.rocketmqCode / 100) : 500;
  return { status: family >= 400 && family < 600 ? family : 502, code: orbit.code, message: orbit.message };
}
