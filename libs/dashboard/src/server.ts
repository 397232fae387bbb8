import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DashboardDeps } from './context';
import { installGuards } from './guards';
import { problemOf } from './problems';
import { aclRoutes } from './routes/acl';
import { brokerConfigRoute, brokerRoutes } from './routes/brokers';
import { clusterRoutes } from './routes/cluster';
import { groupAdminRoutes } from './routes/group-admin';
import { groupRoutes } from './routes/groups';
import { liveTailRoutes } from './routes/live-tail';
import { messageRoutes } from './routes/messages';
import { pendingRoutes } from './routes/pending';
import { resendRoutes } from './routes/resend';
import { searchRoutes } from './routes/search';
import { sessionRoutes } from './routes/session';
import { topicRoutes } from './routes/topics';

/** Largest request body accepted (a test message is the biggest thing a browser sends). */
const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/**
 * The dashboard's HTTP server: the UI's files, the JSON API under /api, server-sent events for
 * live views. Everything a browser may load comes from this origin: the content security policy
 * allows nothing else (no CDN, web fonts or telemetry), and no frame may embed the page.
 */
export async function createDashboardServer(deps: DashboardDeps): Promise<FastifyInstance> {
  // forceCloseConnections: a stop ends live tails (server-sent events) instead of waiting for them.
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true } },
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: deps.secureCookies,
  });
  await app.register(cookie);
  installGuards(app, deps);
  if (deps.observe) {
    const observe = deps.observe;
    app.addHook('onResponse', async (req, reply) => {
      if (req.url.startsWith('/api/')) observe(`${req.method} ${req.routeOptions.url ?? 'unknown'}`, reply.statusCode, reply.elapsedTime);
    });
  }
  app.setErrorHandler((err, _req, reply) => {
    const p = problemOf(err);
    void reply.code(p.status).send({ code: p.code, message: p.message });
  });
  sessionRoutes(app, deps);
  clusterRoutes(app, deps);
  brokerRoutes(app, deps);
  brokerConfigRoute(app, deps);
  topicRoutes(app, deps);
  messageRoutes(app, deps);
  groupRoutes(app, deps);
  groupAdminRoutes(app, deps);
  pendingRoutes(app, deps);
  resendRoutes(app, deps);
  searchRoutes(app, deps);
  aclRoutes(app, deps);
  liveTailRoutes(app, deps);
  await app.register(fastifyStatic, { root: deps.publicDir, prefix: '/', cacheControl: false, setHeaders: (res) => void res.header('cache-control', 'no-cache') });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
  return app;
}
