import { ConfigError, type ConfigSchema } from '@orbitmq/runtime';

/** Dashboard settings (flags, ORBITMQ_* environment variables, or a -c properties file). */
export const DASHBOARD_CONFIG = {
  listenHost: { kind: 'string', default: '127.0.0.1', describe: 'address the web server binds to (dashboardAuth=none needs a loopback address)', nonEmpty: true },
  listenPort: { kind: 'int', default: 8082, min: 0, max: 65535, describe: 'web port (0: any free port)' },
  namesrvAddr: { kind: 'string', default: '127.0.0.1:9876', describe: 'name servers, host:port[;host:port]', nonEmpty: true },
  dashboardAuth: {
    kind: 'enum',
    default: 'none',
    choices: ['none', 'file', 'acl'],
    describe: 'none (loopback only), file (dashboardUsersFile), acl (log in with an admin account of the brokers\' plain_acl.yml)',
  },
  dashboardUsersFile: { kind: 'string', default: '', describe: 'users and roles with scrypt password hashes (dashboardAuth=file; see --hashPassword)' },
  dashboardReadOnly: { kind: 'bool', default: false, describe: 'refuse every write on the server (topics, messages, offsets)' },
  secureCookies: { kind: 'bool', default: false, describe: 'mark the session cookie Secure and send HSTS (behind a TLS-terminating proxy)' },
  sessionIdleTimeoutMs: { kind: 'int', default: 1_800_000, min: 10_000, max: 86_400_000, describe: 'a session unused this long must log in again' },
  maxSessions: { kind: 'int', default: 1_000, min: 1, max: 100_000, describe: 'sessions kept at once (least recently used go first)' },
  adminTimeoutMs: { kind: 'int', default: 3_000, min: 100, max: 120_000, describe: 'deadline of each call to a name server or broker' },
  maxLiveTails: { kind: 'int', default: 8, min: 0, max: 1_000, describe: 'live message tails open at once' },
  liveTailMaxMs: { kind: 'int', default: 600_000, min: 1_000, max: 86_400_000, describe: 'a live tail ends after this long' },
  overviewIntervalMs: { kind: 'int', default: 2_000, min: 250, max: 600_000, describe: "how often the live cluster page asks the cluster (one poll shared by everyone viewing it)" },
  maxOverviewStreams: { kind: 'int', default: 64, min: 0, max: 10_000, describe: 'live cluster pages open at once' },
  lagSampleIntervalMs: {
    kind: 'int',
    default: 15_000,
    min: 0,
    max: 3_600_000,
    describe: "how often every group's lag is sampled for the groups page's trend and drain ETA (an hour of samples kept; 0: only when the page is viewed)",
  },
  lagHistoryMaxGroups: { kind: 'int', default: 5_000, min: 1, max: 1_000_000, describe: 'groups whose lag history is kept (the least recently sampled go first)' },
} as const satisfies ConfigSchema;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function validateDashboardConfig(c: { listenHost: string; dashboardAuth: string; dashboardUsersFile: string }): void {
  if (c.dashboardAuth === 'none' && !LOOPBACK.test(c.listenHost)) {
    throw new ConfigError(`dashboardAuth=none serves anyone who can reach ${c.listenHost}: use a loopback listenHost, or dashboardAuth=file or acl`);
  }
  if (c.dashboardAuth === 'file' && !c.dashboardUsersFile) throw new ConfigError('dashboardAuth=file needs dashboardUsersFile');
}
