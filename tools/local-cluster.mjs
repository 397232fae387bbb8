#!/usr/bin/env node
// `npm start`: builds the workspace and starts a local cluster as separate processes.
//   npm start                          a name server on 9876, a broker with its client endpoint on
//                                      8081, a filter server on 8079 and the dashboard on
//                                      http://127.0.0.1:8082, embedded defaults, data under ./data
//   npm start -- --layout 2m-2s-sync   one of RocketMQ's layouts from deploy/conf/<layout>/: two name
//                                      servers (9876, 9877), then each properties file with -c, masters
//                                      (broker-store) first, then replicas (brokerRole=SLAVE,
//                                      ha-replicator), then one filter server and the dashboard (on 8080:
//                                      8082 is broker-b's client port there); data under ./data/<layout>
// Ctrl-C stops every process gracefully, in reverse start order.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'data');
const confDir = path.join(root, 'deploy/conf');
const NAMESRV = 'apps/namesrv/dist/src/main.js';
const MASTER = 'apps/broker-store/dist/src/main.js';
const REPLICA = 'apps/ha-replicator/dist/src/main.js';
const FILTER_SERVER = 'apps/filter-server/dist/src/main.js';
const DASHBOARD = 'apps/dashboard/dist/src/main.js';
/**
 * In RocketMQ's layouts broker-b's client endpoint is 8082, the dashboard's own default: there it
 * takes RocketMQ Dashboard's port, 8080 (deploy/compose does the same).
 */
const LAYOUT_DASHBOARD_PORT = 8080;
/** Node flags of the apps that own a store, as the Dockerfile gives them (why: see there). */
const STORE_NODE_FLAGS = ['--initial-old-space-size=256'];

// Arguments and layout files are checked before the build, so a mistake fails at once.
const layouts = existsSync(confDir)
  ? readdirSync(confDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  : [];
const USAGE = `usage: npm start [-- --layout <${layouts.join('|')}>]`;
let args;
try {
  args = parseArgs({ options: { layout: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
} catch (err) {
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const layout = args.layout;
if (layout !== undefined && !layouts.includes(layout)) {
  console.error(`unknown layout '${layout}'; choose one of: ${layouts.join(', ')} (directories of deploy/conf)`);
  process.exit(2);
}
let plan = layout === undefined ? defaultPlan() : layoutPlan(layout);

console.log('building...');
const build = spawnSync(process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'run-many', '-t', 'build', '--output-style=static'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, NX_DAEMON: 'false' },
});
if (build.status !== 0) {
  console.error('build failed');
  process.exit(build.status ?? 1);
}

const built = (p) => existsSync(path.join(root, p.main));
if (layout === undefined) {
  plan = plan.filter(built);
} else {
  for (const main of new Set(plan.filter((p) => !built(p)).map((p) => p.main))) {
    const needs = plan.filter((p) => p.main === main).map((p) => p.name);
    console.error(`the ${main.split('/')[1]} app is not built (${main} is missing); layout ${layout} needs it for ${needs.join(', ')}`);
    process.exitCode = 1;
  }
  if (process.exitCode) process.exit(1);
}

mkdirSync(dataDir, { recursive: true });
const width = Math.max(...plan.map((p) => p.name.length));
const children = plan.map((p) => {
  // detached: Ctrl-C reaches only this launcher, which then stops the processes in order.
  const env = { ...process.env, ORBITMQ_LOG_FORMAT: process.env.ORBITMQ_LOG_FORMAT ?? 'text' };
  if (layout !== undefined) delete env.NAMESRV_ADDR; // the layout's files name the name servers (the env would win over them)
  const nodeFlags = p.main === MASTER || p.main === REPLICA ? STORE_NODE_FLAGS : [];
  const child = spawn(process.execPath, [...nodeFlags, path.join(root, p.main), ...p.args], {
    cwd: root,
    detached: true,
    stdio: ['ignore', layout === undefined ? 'inherit' : 'pipe', layout === undefined ? 'inherit' : 'pipe'],
    env,
  });
  if (layout !== undefined) {
    // Several brokers log under the same app name: prefix each line with the process's name.
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${p.name.padEnd(width)} | ${line}\n`));
    }
  }
  child.on('exit', (code, signal) => {
    console.log(`${p.name} exited (${signal ?? code})`);
    if (!stopping) void stop('SIGTERM', 1); // one process died: take the cluster down, report failure
  });
  return child;
});
console.log(
  [`OrbitMQ local cluster${layout === undefined ? '' : ` (layout ${layout})`}:`, ...plan.map((p) => `  ${p.endpoint}`), 'Ctrl-C to stop.'].join('\n'),
);
if (layout === undefined && plan.length < 4) console.log('(not every app is built yet: only the built ones run)');

let stopping = false;
let exitCode = 0;
// Stops in reverse start order, so the brokers unregister while the name servers still run.
async function stop(signal, code = 0) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  for (const c of [...children].reverse()) {
    if (c.exitCode !== null) continue;
    c.kill(signal);
    await new Promise((r) => c.once('exit', r));
  }
}
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
process.on('SIGINT', () => void stop('SIGTERM'));
process.on('SIGTERM', () => void stop('SIGTERM'));
await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r)))));
process.exit(exitCode);

/** Today's single-broker cluster with embedded defaults. */
function defaultPlan() {
  return [
    { name: 'namesrv', main: NAMESRV, args: ['--listenPort', '9876', '--metricsPort', '5556'], endpoint: 'name server 127.0.0.1:9876 (metrics :5556)' },
    {
      name: 'broker',
      main: MASTER,
      args: [
        '--namesrvAddr',
        '127.0.0.1:9876',
        '--brokerIP1',
        '127.0.0.1',
        '--storePathRootDir',
        path.join(dataDir, 'broker-a'),
        '--autoCreateTopicEnable',
        'true',
      ],
      endpoint: 'broker client endpoint 127.0.0.1:8081 (metrics :5557)',
    },
    filterServerOf('127.0.0.1:9876'),
    dashboardOf('127.0.0.1:9876'),
  ];
}

/** The web dashboard on 127.0.0.1:<port>: loopback only, so no login (dashboardAuth=none). */
function dashboardOf(namesrvAddr, port = 8082) {
  return {
    name: 'dashboard',
    main: DASHBOARD,
    args: ['--namesrvAddr', namesrvAddr, '--listenHost', '127.0.0.1', '--listenPort', String(port), '--metricsPort', '5560'],
    endpoint: `dashboard http://127.0.0.1:${port} (metrics :5560)`,
  };
}

/** One filter server: finds the brokers through the name servers and registers with each. */
function filterServerOf(namesrvAddr) {
  return {
    name: 'filter-server',
    main: FILTER_SERVER,
    args: ['--namesrvAddr', namesrvAddr, '--listenPort', '8079', '--advertisedHost', '127.0.0.1', '--metricsPort', '5559'],
    endpoint: 'filter server 127.0.0.1:8079 (metrics :5559)',
  };
}

/** Two name servers, then the layout's masters, then its replicas, each started with -c <file>. */
function layoutPlan(name) {
  const dir = path.join(confDir, name);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.properties'))
    .sort();
  if (files.length === 0) {
    console.error(`layout ${name} has no .properties file in ${path.relative(root, dir)}`);
    process.exit(2);
  }
  const brokers = files.map((f) => {
    const file = path.relative(root, path.join(dir, f));
    const c = {
      brokerRole: 'ASYNC_MASTER',
      brokerId: '0',
      brokerIP1: '127.0.0.1',
      grpcServerPort: '8081',
      listenPort: '10911',
      metricsPort: '5557',
      ...readProperties(file),
    };
    const replica = c.brokerRole === 'SLAVE';
    return {
      name: f.slice(0, -'.properties'.length),
      main: replica ? REPLICA : MASTER,
      replica,
      args: ['-c', file],
      endpoint: `${c.brokerName} BID ${c.brokerId} ${c.brokerRole.padEnd(12)} client ${c.brokerIP1}:${c.grpcServerPort}  internal ${c.brokerIP1}:${c.listenPort}  metrics :${c.metricsPort}  (${file})`,
    };
  });
  const namesrv = (n, port, metrics) => ({
    name: `namesrv-${n}`,
    main: NAMESRV,
    args: ['--listenPort', String(port), '--metricsPort', String(metrics)],
    endpoint: `name server 127.0.0.1:${port} (metrics :${metrics})`,
  });
  return [
    namesrv(1, 9876, 5556),
    namesrv(2, 9877, 5566),
    ...brokers.filter((b) => !b.replica),
    ...brokers.filter((b) => b.replica),
    filterServerOf('127.0.0.1:9876;127.0.0.1:9877'),
    dashboardOf('127.0.0.1:9876;127.0.0.1:9877', LAYOUT_DASHBOARD_PORT),
  ];
}

/** The plain key=value lines of a properties file: enough to print endpoints (the apps parse it fully). */
function readProperties(file) {
  const out = {};
  for (const line of readFileSync(path.join(root, file), 'utf8').split(/\r?\n/)) {
    const m = /^\s*([^#!\s=:]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}
