// Static checks of the container files, without a container engine: every compose service's
// arguments (and the properties file it mounts) pass the app's own config loader, as the image
// would run it; the Dockerfile has a target per app, runs as non-root and has a health check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { containers, layouts } from '../compose/gen-compose.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dockerfile = readFileSync(path.join(root, 'deploy/docker/Dockerfile'), 'utf8');
const APPS = ['namesrv', 'broker-store', 'ha-replicator', 'filter-server'];

/** The image's environment for an app (ENV lines of its target and of the shared base). */
function imageEnv(app) {
  const env = {};
  const stages = dockerfile.split(/^FROM /m);
  for (const stage of stages.filter((s) => s.includes(' AS base') || s.includes(` AS ${app}\n`))) {
    for (const m of stage.matchAll(/^ENV (.+)$/gm)) for (const kv of m[1].split(/\s+/)) env[kv.split('=')[0]] = kv.split('=')[1];
  }
  return env;
}

/** Runs the app's config loader on the container's arguments (mounts mapped to the repository). */
function printConfig(c) {
  const args = c.args.map((a) => Object.entries(c.mounts ?? {}).reduce((s, [inside, repo]) => s.replace(inside, path.join(root, repo)), a));
  const env = { ...process.env, ...imageEnv(c.app) };
  delete env.NAMESRV_ADDR;
  return spawnSync(process.execPath, [path.join(root, `apps/${c.app}/dist/src/main.js`), ...args, '--printConfig'], { env, encoding: 'utf8' });
}

for (const layout of layouts()) {
  test(`compose ${layout}: every container's arguments pass its app's config loader`, () => {
    for (const c of containers(layout)) {
      const r = printConfig(c);
      assert.equal(r.status, 0, `${layout}/${c.service}: ${r.stderr}`);
      if (c.app === 'broker-store' || c.app === 'ha-replicator') {
        assert.match(r.stdout, /^storePathRootDir=\/var\/lib\/orbitmq\/store$/m, `${c.service} keeps its store on the volume`);
        assert.match(r.stdout, /^namesrvAddr=127\.0\.0\.1:9876;127\.0\.0\.1:9877$/m);
      }
    }
  });
}

test('the Dockerfile: a target per app running its main, non-root, with a health check', () => {
  for (const app of APPS) {
    const stage = dockerfile.split(/^FROM /m).find((s) => s.startsWith(`base AS ${app}\n`));
    assert.ok(stage, `target ${app}`);
    assert.match(stage, new RegExp(`^ENTRYPOINT \\["node", "apps/${app}/dist/src/main.js"\\]$`, 'm'));
  }
  assert.match(dockerfile, /^USER 65534:65534$/m);
  assert.match(dockerfile, /^HEALTHCHECK .*CMD \["node", "healthcheck.js"\]$/m);
  assert.doesNotMatch(dockerfile, /:latest\b/, 'no floating tags');
  assert.match(dockerfile, /^ARG BASE_IMAGE=node:20-bookworm-slim$/m, 'the conventional base by default');
});
