import type { ClusterAdmin } from '@orbitmq/admin-client';
import type { LagHistory } from './lag-history';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from './auth/authenticator';
import type { Session, SessionStore } from './auth/sessions';

/** Named bounds of everything a browser can make the dashboard do. */
export interface DashboardLimits {
  /** Live tails open at once (each holds a pull per queue on the brokers). */
  maxLiveTails: number;
  /** A live tail ends after this long (the page offers to restart it). */
  liveTailMaxMs: number;
  /** Events a slow tail viewer may have queued; past it messages are counted as skipped. */
  liveTailMaxQueuedEvents: number;
  /** Rows one topics page returns at most. */
  maxPageSize: number;
  /** Bytes of a test message's body. */
  maxTestMessageBytes: number;
  /** How often the live overview polls the cluster (one poll per credential, shared by its viewers). */
  overviewIntervalMs: number;
  /** Live overview streams open at once. */
  maxOverviewStreams: number;
  /** Streamed message searches open at once (each holds a BrowseMessages per master). */
  maxOpenSearches: number;
  /** Matches one search returns at most (per master). */
  maxSearchMessages: number;
}

export const DEFAULT_LIMITS: DashboardLimits = {
  maxLiveTails: 8,
  liveTailMaxMs: 600_000,
  liveTailMaxQueuedEvents: 256,
  maxPageSize: 500,
  maxTestMessageBytes: 65_536,
  overviewIntervalMs: 2_000,
  maxOverviewStreams: 64,
  maxOpenSearches: 8,
  maxSearchMessages: 1_000,
};

/** One line per write (who, what, on what, the result, the mqadmin equivalent): the app logs it. */
export interface AuditEvent {
  user: string;
  action: string;
  target: string;
  ok: boolean;
  detail?: string;
  mqadmin?: string;
}

export interface DashboardDeps {
  admin: ClusterAdmin;
  auth: Authenticator;
  sessions: SessionStore;
  /** dashboardReadOnly: every write is refused by the server (403 READ_ONLY). */
  readOnly: boolean;
  /** The built UI (index.html, app.js, app.css). */
  publicDir: string;
  /** Cookies only over HTTPS (behind a TLS-terminating proxy). */
  secureCookies: boolean;
  /** The cluster's name servers, for the mqadmin commands the UI offers to copy. */
  namesrvAddr: string;
  limits: DashboardLimits;
  audit: (e: AuditEvent) => void;
  /** Each group's recent lag (the app samples it; the groups page adds what it fetches). */
  lagHistory?: LagHistory;
  /** Each finished API request (the app counts them). */
  observe?: (route: string, status: number, durationMs: number) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
  }
}

/** The admin plane as this request's user: signed with their ACL keys in acl mode. */
export function adminFor(deps: DashboardDeps, req: FastifyRequest): ClusterAdmin {
  const c = req.session?.credentials;
  return c ? deps.admin.signedAs(c.accessKey, c.secretKey) : deps.admin;
}

/** The v5 credentials of this request's user (acl mode), for sends and pulls. */
export function credentialsFor(req: FastifyRequest): { accessKey: string; accessSecret: string } | undefined {
  const c = req.session?.credentials;
  return c ? { accessKey: c.accessKey, accessSecret: c.secretKey } : undefined;
}
