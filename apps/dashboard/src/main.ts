#!/usr/bin/env node
/**
 * orbitmq-dashboard: composition root of the web dashboard. Config -> admin plane client ->
 * sessions and login -> HTTP server (the built pages of @orbitmq/dashboard-ui, the JSON API and
 * live streams of @orbitmq/dashboard) -> metrics and an audit line per write.
 * `orbitmq-dashboard --hashPassword <password>` prints a hash for dashboardUsersFile.
 */
import * as path from 'node:path';
import { ClusterAdmin } from '@orbitmq/admin-client';
import { Authenticator, DEFAULT_LIMITS, LagHistory, SessionStore, createDashboardServer, hashPassword, loadUsers, sampleLag } from '@orbitmq/dashboard';
import { runApp } from '@orbitmq/runtime';
import { Counter, Histogram } from 'prom-client';
import { DASHBOARD_CONFIG, validateDashboardConfig } from './config';

const hashAt = process.argv.indexOf('--hashPassword');
if (hashAt >= 0) {
  process.stdout.write(`${hashPassword(process.argv[hashAt + 1] ?? '')}\n`);
  process.exit(0);
}

/** The built pages: dist/public of @orbitmq/dashboard-ui. */
const PUBLIC_DIR = path.join(path.dirname(require.resolve('@orbitmq/dashboard-ui/package.json')), 'dist', 'public');

void runApp({
  name: 'dashboard',
  schema: DASHBOARD_CONFIG,
  validate: validateDashboardConfig,
  async start({ config, logger, metrics }) {
    if (config.dashboardAuth === 'file') loadUsers(config.dashboardUsersFile); // a broken file stops the start with its reason
    const admin = new ClusterAdmin({ namesrvAddr: config.namesrvAddr, timeoutMs: config.adminTimeoutMs });
    const requests = new Counter({ name: 'orbitmq_dashboard_requests_total', help: 'API requests by route and HTTP status', labelNames: ['route', 'status'], registers: [metrics] });
    const latency = new Histogram({ name: 'orbitmq_dashboard_request_duration_seconds', help: 'API request time', labelNames: ['route'], registers: [metrics] });
    // An hour of samples at the sampling period (at least 60, so a page-driven history is kept too).
    const sampleMs = config.lagSampleIntervalMs || 15_000;
    const keepSamples = Math.max(60, Math.ceil(3_600_000 / sampleMs));
    const lagHistory = new LagHistory({ sampleIntervalMs: sampleMs, keepSamples, maxGroups: config.lagHistoryMaxGroups });
    const listGroups = async () => (await admin.groups()).groups;
    const stopSampling = config.lagSampleIntervalMs > 0 ? sampleLag(lagHistory, listGroups, config.lagSampleIntervalMs) : () => undefined;
    const app = await createDashboardServer({
      admin,
      lagHistory,
      auth: new Authenticator(config.dashboardAuth as 'none' | 'file' | 'acl', admin, config.dashboardUsersFile),
      sessions: new SessionStore({ idleTimeoutMs: config.sessionIdleTimeoutMs, maxSessions: config.maxSessions }),
      readOnly: config.dashboardReadOnly,
      publicDir: PUBLIC_DIR,
      secureCookies: config.secureCookies,
      namesrvAddr: config.namesrvAddr,
      limits: {
        ...DEFAULT_LIMITS,
        maxLiveTails: config.maxLiveTails,
        liveTailMaxMs: config.liveTailMaxMs,
        overviewIntervalMs: config.overviewIntervalMs,
        maxOverviewStreams: config.maxOverviewStreams,
      },
      audit: (e) => logger.info('dashboard write', { ...e }),
      observe: (route, status, ms) => {
        requests.inc({ route, status: String(status) });
        latency.observe({ route }, ms / 1000);
      },
    });
    const address = await app.listen({ host: config.listenHost, port: config.listenPort });
    const port = app.server.address();
    logger.info('dashboard serving', { url: address, auth: config.dashboardAuth, readOnly: config.dashboardReadOnly });
    return {
      readyInfo: { httpPort: typeof port === 'object' && port ? port.port : config.listenPort, url: address },
      stop: () => {
        stopSampling();
        return app.close();
      },
    };
  },
});
