// What the static deploy tests share: the image's environment per app (from the Dockerfile) and a
// run of an app's own config loader (--printConfig) on a container's arguments.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dockerfile = readFileSync(path.join(root, 'deploy/docker/Dockerfile'), 'utf8');
export const APPS = ['namesrv', 'broker-store', 'ha-replicator', 'filter-server', 'dashboard'];

/** The image's environment for an app (ENV lines of its target and of the shared base). */
export function imageEnv(app) {
  const env = {};
  const stages = dockerfile.split(/^FROM /m);
  for (const stage of stages.filter((s) => s.includes(' AS base') || s.includes(` AS ${app}\n`))) {
    for (const m of stage.matchAll(/^ENV (.+)$/gm)) for (const kv of m[1].split(/\s+/)) env[kv.split('=')[0]] = kv.split('=')[1];
  }
  return env;
}

/**
 * Runs the app's config loader as the image would: its arguments with container paths mapped to
 * the repository (mounts: container dir -> repository dir), the image's environment plus `env`.
 * Returns the printed configuration as key -> value, or throws with the loader's error.
 */
export function printConfig(app, args, { mounts = {}, env = {} } = {}) {
  const mapped = args.map((a) => Object.entries(mounts).reduce((s, [inside, repo]) => s.replace(inside, path.join(root, repo)), a));
  const fullEnv = { ...process.env, ...imageEnv(app), ...env };
  for (const k of Object.keys(fullEnv)) if (k === 'NAMESRV_ADDR' || (k.startsWith('ORBITMQ_') && !(k in env) && !(k in imageEnv(app)))) delete fullEnv[k];
  const r = spawnSync(process.execPath, [path.join(root, `apps/${app}/dist/src/main.js`), ...mapped, '--printConfig'], { env: fullEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${app} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .map((l) => /^([^=\s#]+)=(.*)$/.exec(l))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
}
