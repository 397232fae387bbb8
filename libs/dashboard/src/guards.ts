import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfMatches } from './auth/sessions';
import type { DashboardDeps } from './context';
import { DashboardError } from './problems';

export const SESSION_COOKIE = 'orbitmq_session';
/** Reached without a session: reading whether one exists, and logging in. */
const PUBLIC_ROUTES = new Set(['GET /api/session', 'POST /api/login']);
/** Writes that change nothing in the cluster: allowed in read-only mode and to viewers. */
const SESSION_WRITES = new Set(['POST /api/login', 'POST /api/logout']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The one place requests are let in (an onRequest hook, so no route can forget it):
 *  1. the session from its cookie;
 *  2. every API route but the public ones needs a session;
 *  3. every write needs a same-origin request (Origin, when sent, must be this host) and, once
 *     logged in, the session's CSRF token in x-csrf-token;
 *  4. writes to the cluster are refused in read-only mode and for viewers.
 */
export function installGuards(app: FastifyInstance, deps: DashboardDeps): void {
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!req.url.startsWith('/api/')) return;
    req.session = deps.sessions.get(req.cookies[SESSION_COOKIE]) ?? null;
    const route = `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
    if (!PUBLIC_ROUTES.has(route) && !req.session) throw new DashboardError('NOT_LOGGED_IN', 'log in first');
    if (!WRITE_METHODS.has(req.method)) return;
    checkOrigin(req);
    if (req.session && !csrfMatches(req.session, header(req, 'x-csrf-token'))) {
      throw new DashboardError('CSRF', 'the x-csrf-token header is missing or stale: reload the page');
    }
    if (SESSION_WRITES.has(route)) return;
    if (deps.readOnly) throw new DashboardError('READ_ONLY', 'this dashboard is read-only (dashboardReadOnly=true)');
    if (req.session?.role !== 'admin') throw new DashboardError('ROLE', `${req.session?.user ?? 'this user'} may only read (role viewer)`);
  });
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A browser always sends Origin on cross-site writes: refuse any that is not this host. */
function checkOrigin(req: FastifyRequest): void {
  const origin = header(req, 'origin');
  if (origin === undefined) return; // not a browser, or a same-origin request of an old one
  let same = false;
  try {
    const o = new URL(origin);
    // Both through URL, so a default port (:80, :443) compares equal to none.
    same = o.host === new URL(`${o.protocol}//${header(req, 'host') ?? ''}`).host;
  } catch {
    throw new DashboardError('CSRF', `Origin '${origin.slice(0, 64)}' is not a URL`);
  }
  if (!same) throw new DashboardError('CSRF', `a write from ${origin} is refused (cross-origin)`);
}
