// Static checks of the Kubernetes manifests, as far as they go without a cluster: each overlay
// renders with `kubectl kustomize`; every object passes the Kubernetes 1.27 schemas
// (kubernetes-models: required fields, types, enums) and the kubernetes-types definitions under
// `tsc --strict` (unknown fields); and the objects fit together and fit the apps: every
// container's arguments and environment pass the app's own config loader, ports and probes name
// the ports the app listens on, Services and budgets select pods that exist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { layouts } from '../compose/gen-compose.mjs';
import { APPS, dockerfile, printConfig, root } from './support.mjs';

const require = createRequire(import.meta.url);
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const NO_KUBECTL = kubectl.error || kubectl.status !== 0 ? 'kubectl is not installed here: skipped rendering the overlays (.ci/run installs it)' : false;
const POD_IP = '10.0.0.7';

function render(layout) {
  const r = spawnSync('kubectl', ['kustomize', path.join(root, 'deploy/k8s/overlays', layout)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `kubectl kustomize ${layout}: ${r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS());
}

/** kubernetes-models' validator for an object (apps/v1 -> kubernetes-models/apps/v1). */
function schemaErrors(o) {
  const Model = require(`kubernetes-models/${o.apiVersion}`)[o.kind];
  if (!Model) return `no schema for ${o.apiVersion} ${o.kind}`;
  try {
    new Model(o).validate();
    return '';
  } catch (e) {
    return `${o.kind}/${o.metadata?.name}: ${e.message}`;
  }
}

const TYPES = { v1: 'core/v1', 'apps/v1': 'apps/v1', 'policy/v1': 'policy/v1', 'autoscaling/v2': 'autoscaling/v2' };

/** tsc --strict over the objects typed by kubernetes-types: excess (unknown) properties fail. */
function typeErrors(objects) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orbitmq-k8s-types-'));
  try {
    const lines = objects.map((o, i) => {
      assert.ok(TYPES[o.apiVersion], `kubernetes-types module for ${o.apiVersion}`);
      return `import type { ${o.kind} as T${i} } from 'kubernetes-types/${TYPES[o.apiVersion]}';\nexport const o${i}: T${i} = ${JSON.stringify(o)};`;
    });
    writeFileSync(path.join(dir, 'objects.ts'), `${lines.join('\n')}\n`);
    const tsconfig = {
      compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, module: 'node16', moduleResolution: 'node16', baseUrl: '.', paths: { 'kubernetes-types/*': [path.join(root, 'node_modules/kubernetes-types/*')] } },
      files: ['objects.ts'],
    };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    return r.status === 0 ? '' : r.stdout + r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const matches = (selector, labels) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const podsOf = (objects) => objects.filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment');

/** The configuration each container of a workload would run with (downward API -> a pod IP). */
function configOf(workload, objects) {
  const spec = workload.spec.template.spec;
  const [c] = spec.containers;
  const app = c.image.replace(/^orbitmq\/([^:]+):.*$/, '$1');
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.valueFrom?.fieldRef?.fieldPath === 'status.podIP' ? POD_IP : e.value]));
  const mounts = {};
  for (const m of c.volumeMounts ?? []) {
    const cm = spec.volumes?.find((v) => v.name === m.name)?.configMap;
    if (!cm) continue;
    const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === cm.name);
    assert.ok(map, `ConfigMap ${cm.name} exists`);
    for (const item of cm.items) assert.ok(item.key in map.data, `${cm.name} has ${item.key}`);
    mounts[m.mountPath] = `deploy/conf/${map.metadata.name.replace(/-broker-conf-?.*$/, '')}`;
  }
  return { app, container: c, config: printConfig(app, c.args, { mounts, env }) };
}

function checkWorkload(w, objects) {
  const { app, container: c, config } = configOf(w, objects);
  const port = (name) => c.ports.find((p) => p.name === name)?.containerPort;
  const where = `${w.kind}/${w.metadata.name}`;
  assert.ok(APPS.includes(app) && dockerfile.includes(` AS ${app}\n`), `${where}: image of a Dockerfile target`);
  assert.equal(String(port('metrics')), config.metricsPort, `${where}: metrics port`);
  if (app === 'dashboard') {
    assert.equal(String(port('http')), config.listenPort, `${where}: http port`);
    assert.match(config.listenHost, /^127\./, `${where}: no login, so loopback only (kubectl port-forward)`);
  } else {
    assert.equal(String(port('grpc')), app === 'broker-store' || app === 'ha-replicator' ? config.grpcServerPort : config.listenPort, `${where}: grpc port`);
  }
  for (const probe of [c.readinessProbe, c.livenessProbe]) assert.deepEqual(probe.httpGet, { path: '/healthz', port: 'metrics' }, `${where}: probes`);
  assert.equal(w.spec.template.metadata.annotations['prometheus.io/port'], config.metricsPort, `${where}: scrape port`);
  assert.equal(w.spec.template.spec.securityContext.runAsUser, 65534, `${where}: the images' user`);
  if (app === 'broker-store' || app === 'ha-replicator') {
    const labels = w.spec.template.metadata.labels;
    assert.equal(String(port('internal')), config.listenPort, `${where}: internal port`);
    assert.equal(config.brokerIP1, POD_IP, `${where}: advertises its pod IP`);
    assert.equal(labels['orbitmq.io/broker-name'], config.brokerName, `${where}: brokerName`);
    assert.equal(labels['orbitmq.io/broker-id'], config.brokerId, `${where}: brokerId`);
    assert.equal(app === 'ha-replicator', config.brokerRole === 'SLAVE', `${where}: replicas run ha-replicator`);
    const data = c.volumeMounts.find((m) => m.name === 'data');
    assert.ok(config.storePathRootDir.startsWith(`${data.mountPath}/`), `${where}: store ${config.storePathRootDir} on the volume`);
    assert.ok(w.spec.volumeClaimTemplates.some((v) => v.metadata.name === 'data'), `${where}: a volume claim per pod`);
  }
  if (app === 'filter-server') assert.equal(config.advertisedHost, POD_IP, `${where}: advertises its pod IP`);
  return config;
}

/** Every name-server address a process is given is a pod of the namesrv StatefulSet. */
function checkNamesrvAddr(addr, objects) {
  const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'namesrv');
  const port = sts.spec.template.spec.containers[0].ports.find((p) => p.name === 'grpc').containerPort;
  for (const a of addr.split(';')) {
    const m = /^namesrv-(\d+)\.(\S+):(\d+)$/.exec(a);
    assert.ok(m && Number(m[1]) < sts.spec.replicas && m[2] === sts.spec.serviceName && Number(m[3]) === port, `name server address ${a}`);
  }
}

function checkSelectors(objects) {
  const pods = podsOf(objects).map((w) => w.spec.template);
  for (const s of objects.filter((o) => o.kind === 'Service')) {
    const selected = pods.filter((p) => matches(s.spec.selector, p.metadata.labels));
    assert.ok(selected.length > 0, `Service ${s.metadata.name} selects pods`);
    for (const p of s.spec.ports)
      for (const pod of selected) assert.ok(pod.spec.containers[0].ports.some((cp) => cp.name === p.targetPort), `Service ${s.metadata.name}: port ${p.targetPort}`);
  }
  for (const b of objects.filter((o) => o.kind === 'PodDisruptionBudget'))
    assert.ok(pods.some((p) => matches(b.spec.selector.matchLabels, p.metadata.labels)), `PodDisruptionBudget ${b.metadata.name} selects pods`);
  for (const w of podsOf(objects)) assert.ok(matches(w.spec.selector.matchLabels, w.spec.template.metadata.labels), `${w.metadata.name}: selector`);
  for (const s of objects.filter((o) => o.kind === 'StatefulSet'))
    assert.ok(objects.some((o) => o.kind === 'Service' && o.metadata.name === s.spec.serviceName && o.spec.clusterIP === 'None'), `${s.metadata.name}: headless Service`);
  const client = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'orbitmq');
  for (const p of pods.filter((t) => matches(client.spec.selector, t.metadata.labels))) assert.match(p.spec.containers[0].image, /^orbitmq\/broker-store:/);
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
  const target = objects.find((o) => o.kind === hpa.spec.scaleTargetRef.kind && o.metadata.name === hpa.spec.scaleTargetRef.name);
  assert.ok(target?.spec.template.spec.containers[0].resources.requests.cpu, 'the autoscaler scales a Deployment with a CPU request');
}

test('the manifests are what deploy/k8s/gen-k8s.mjs makes of deploy/conf', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'deploy/k8s/gen-k8s.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

for (const layout of layouts()) {
  test(`kubernetes ${layout}: renders, every object is valid, and the objects fit the apps`, { skip: NO_KUBECTL }, () => {
    const objects = render(layout);
    const kinds = objects.map((o) => o.kind).sort();
    for (const kind of ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service', 'StatefulSet']) assert.ok(kinds.includes(kind), kind);
    assert.deepEqual(objects.map(schemaErrors).filter(Boolean), []);
    assert.equal(typeErrors(objects), '');
    checkSelectors(objects);
    for (const w of podsOf(objects)) {
      const config = checkWorkload(w, objects);
      if (w.metadata.name !== 'namesrv') checkNamesrvAddr(config.namesrvAddr, objects);
    }
    const brokers = podsOf(objects).filter((w) => w.spec.template.metadata.labels['app.kubernetes.io/component'] === 'broker');
    assert.deepEqual(brokers.map((w) => w.metadata.name).sort(), layoutBrokers(layout));
  });
}

test('the schema and type checks can fail: a missing selector, a wrong type and an unknown field are reported', { skip: NO_KUBECTL }, () => {
  const objects = render('2m-noslave');
  const sts = structuredClone(objects.find((o) => o.kind === 'StatefulSet'));
  delete sts.spec.selector;
  sts.spec.replicas = 'one';
  assert.match(schemaErrors(sts), /must have required property selector.*replicas must be integer/s);
  const dep = structuredClone(objects.find((o) => o.kind === 'Deployment'));
  dep.spec.template.spec.containers[0].imagePullPolcy = 'Never';
  assert.equal(schemaErrors(dep), '', 'the schemas let unknown fields through');
  assert.match(typeErrors([dep]), /imagePullPolcy/);
});

function layoutBrokers(layout) {
  return spawnSync('ls', [path.join(root, 'deploy/conf', layout)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((f) => f.endsWith('.properties'))
    .map((f) => f.slice(0, -'.properties'.length))
    .sort();
}
