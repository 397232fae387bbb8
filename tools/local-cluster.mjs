#!/usr/bin/env node
// `npm start`: builds the workspace and starts a local cluster as separate processes with
// embedded defaults (data under ./data): a name server on 9876 and a broker with
// its client endpoint on 8081. Ctrl-C stops every process gracefully.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'data');

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

const plan = [
  { name: 'namesrv', main: 'apps/namesrv/dist/src/main.js', args: ['--listenPort', '9876', '--metricsPort', '5556'], endpoint: 'name server 127.0.0.1:9876 (metrics :5556)' },
  {
    name: 'broker',
    main: 'apps/broker-store/dist/src/main.js',
    args: ['--namesrvAddr', '127.0.0.1:9876', '--brokerIP1', '127.0.0.1', '--storePathRootDir', path.join(dataDir, 'broker-a'), '--autoCreateTopicEnable', 'true'],
    endpoint: 'broker client endpoint 127.0.0.1:8081 (metrics :5557)',
  },
].filter((p) => existsSync(path.join(root, p.main)));

mkdirSync(dataDir, { recursive: true });
const children = plan.map((p) => {
  // detached: Ctrl-C reaches only this launcher, which then stops the processes in order.
  const child = spawn(process.execPath, [path.join(root, p.main), ...p.args], { cwd: root, detached: true, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ORBITMQ_LOG_FORMAT: process.env.ORBITMQ_LOG_FORMAT ?? 'text' } });
  child.on('exit', (code, signal) => {
    console.log(`${p.name} exited (${signal ?? code})`);
    if (!stopping) void stop('SIGTERM', 1); // one process died: take the cluster down, report failure
  });
  return child;
});
console.log(['OrbitMQ local cluster:', ...plan.map((p) => `  ${p.endpoint}`), 'Ctrl-C to stop.'].join('\n'));
if (plan.length < 2) console.log('(the broker app is not built yet: only the name server runs)');

let stopping = false;
let exitCode = 0;
// Stops in reverse start order, so the broker unregisters while the name server still runs.
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
