import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Session } from '../auth/sessions';
import type { DashboardDeps } from '../context';
import { SESSION_COOKIE } from '../guards';

function view(deps: DashboardDeps, s: Session | null) {
  return {
    authMode: deps.auth.mode,
    readOnly: deps.readOnly,
    loggedIn: s !== null,
    ...(s ? { user: s.user, role: s.role, csrfToken: s.csrfToken } : {}),
  };
}

function setCookie(deps: DashboardDeps, reply: FastifyReply, s: Session): void {
  reply.setCookie(SESSION_COOKIE, s.id, { httpOnly: true, sameSite: 'strict', secure: deps.secureCookies, path: '/' });
}

const LOGIN_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    user: { type: 'string', maxLength: 64 },
    password: { type: 'string', maxLength: 256 },
    accessKey: { type: 'string', maxLength: 128 },
    secretKey: { type: 'string', maxLength: 256 },
  },
} as const;

export function sessionRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/api/session', async (req, reply) => {
    // No login at all (loopback only): every visitor gets a session, for its CSRF token.
    if (!req.session && deps.auth.mode === 'none') {
      req.session = deps.sessions.create('local', 'admin');
      setCookie(deps, reply, req.session);
    }
    return view(deps, req.session);
  });

  app.post<{ Body: { user?: string; password?: string; accessKey?: string; secretKey?: string } }>(
    '/api/login',
    { schema: { body: LOGIN_BODY } },
    async (req, reply) => {
      const who = await deps.auth.login(req.body, req.ip);
      if (req.session) deps.sessions.delete(req.session.id); // a new id at login: no session fixation
      const s = deps.sessions.create(who.user, who.role, who.credentials);
      setCookie(deps, reply, s);
      deps.audit({ user: s.user, action: 'login', target: 'dashboard', ok: true });
      return view(deps, s);
    },
  );

  app.post('/api/logout', async (req, reply) => {
    if (req.session) deps.sessions.delete(req.session.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { loggedIn: false };
  });
}
