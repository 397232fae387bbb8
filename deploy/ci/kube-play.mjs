#!/usr/bin/env node
// Turns a rendered layout (`kubectl kustomize deploy/k8s/overlays/<layout>`) into a file
// `podman kube play` can run on one machine without a cluster (deploy/ci/kube-play.sh runs it):
// - every StatefulSet becomes one Pod per replica, `<sts>-<ordinal>` (podman 4.3 rejects
//   StatefulSets), every Deployment one Pod per replica, `<name>-<i>`;
// - each volumeClaimTemplate becomes a PersistentVolumeClaim `<claim>-<sts>-<ordinal>` (as a
//   StatefulSet names them; podman makes a volume of it, owned by the pod's fsGroup) and the pod
//   mounts it through a persistentVolumeClaim volume;
// - ConfigMaps are kept (podman 4.3 plays configMap volumes from a ConfigMap in the same file).
//   podman makes ONE volume per ConfigMap name, shared by every pod that mounts it, and adds each
//   pod's `items` to it (a later pod sees the earlier pods' files too, kube down leaves it), so a
//   ConfigMap that pods mount with different `items` is copied per pod (`<configmap>-<pod>`,
//   only those keys): each pod sees what Kubernetes would mount;
// - hostNetwork: true, imagePullPolicy: Never, image tags set to --tag, `status.podIP` from the
//   downward API set to 127.0.0.1;
// - all pods share the host's network, so every container port is moved by --port-offset; a port
//   another replica already holds takes the next free one. The process gets the new ports by its
//   flags (set when its args have them, appended otherwise), probes get the moved number, and the
//   `ports` lists are dropped (podman 4.3 would publish them, which host networking refuses); the
//   stable names of StatefulSet pods (`namesrv-0.namesrv:9876`) become `127.0.0.1:<moved port>`;
// - Services, HorizontalPodAutoscalers, PodDisruptionBudgets (nothing podman runs) are dropped
//   and listed on stderr.
//
// usage: node deploy/ci/kube-play.mjs (--layout L | --in FILE|-) [--tag dev] [--port-offset 21000]
//                                     [--out FILE] [--summary FILE]
// --summary writes JSON: name-server addresses, each pod's ports, brokers, filter servers, the
// volumes podman will make (claims and ConfigMaps; kube down leaves them), dropped objects.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Which flag sets which named container port, per app (the image's repository name). */
const PORT_FLAGS = {
  namesrv: { grpc: '--listenPort', metrics: '--metricsPort' },
  'filter-server': { grpc: '--listenPort', metrics: '--metricsPort' },
  dashboard: { http: '--listenPort', metrics: '--metricsPort' },
  'broker-store': { grpc: '--grpcServerPort', internal: '--listenPort', metrics: '--metricsPort' },
  'ha-replicator': { grpc: '--grpcServerPort', internal: '--listenPort', metrics: '--metricsPort' },
};
const LOOPBACK = '127.0.0.1';

function parseArgs(argv) {
  const opts = { tag: 'dev', portOffset: 21000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--layout') opts.layout = next();
    else if (a === '--in') opts.in = next();
    else if (a === '--out') opts.out = next();
    else if (a === '--summary') opts.summary = next();
    else if (a === '--tag') opts.tag = next();
    else if (a === '--port-offset') opts.portOffset = Number(next());
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.help && !opts.layout === !opts.in) throw new Error('give one of --layout L or --in FILE');
  if (!Number.isInteger(opts.portOffset) || opts.portOffset < 0) throw new Error('--port-offset must be a non-negative integer');
  return opts;
}

const clone = (o) => structuredClone(o);
const appOf = (image) =>
  image
    .split('@')[0]
    .replace(/:[^/:]*$/, '')
    .split('/')
    .pop();
const withTag = (image, tag) => `${image.split('@')[0].replace(/:[^/:]*$/, '')}:${tag}`;

/**
 * @param {string} rendered the multi-document YAML of `kubectl kustomize`
 * @returns {{ yaml: string, summary: object, dropped: string[] }}
 */
export function convert(rendered, { tag = 'dev', portOffset = 21000, layout = '' } = {}) {
  const docs = parseAllDocuments(rendered)
    .map((d) => {
      if (d.errors.length) throw new Error(`YAML: ${d.errors[0].message}`);
      return d.toJSON();
    })
    .filter(Boolean);
  const configMaps = new Map();
  const services = new Map();
  const workloads = [];
  const dropped = [];
  for (const doc of docs) {
    const id = `${doc.kind}/${doc.metadata?.name}`;
    if (doc.kind === 'ConfigMap') configMaps.set(doc.metadata.name, doc);
    else if (doc.kind === 'StatefulSet' || doc.kind === 'Deployment') workloads.push(doc);
    else {
      if (doc.kind === 'Service') services.set(doc.metadata.name, doc);
      dropped.push(id);
    }
  }

  // Pods in start order: name servers, masters, replicas, then everything else.
  const rank = (w) => {
    const app = appOf(w.spec.template.spec.containers[0].image);
    return { namesrv: 0, 'broker-store': 1, 'ha-replicator': 2 }[app] ?? 3;
  };
  workloads.sort((a, b) => rank(a) - rank(b));
  const pods = [];
  const claims = [];
  for (const w of workloads) {
    const replicas = w.spec.replicas ?? 1;
    for (let i = 0; i < replicas; i++) {
      const name = `${w.metadata.name}-${i}`;
      const spec = clone(w.spec.template.spec);
      const labels = { ...(w.spec.template.metadata?.labels ?? {}) };
      if (w.kind === 'StatefulSet') {
        labels['statefulset.kubernetes.io/pod-name'] = name;
        spec.volumes ??= [];
        for (const t of w.spec.volumeClaimTemplates ?? []) {
          const claimName = `${t.metadata.name}-${name}`;
          const fsGroup = spec.securityContext?.fsGroup;
          const annotations =
            fsGroup === undefined ? {} : { 'volume.podman.io/uid': String(spec.securityContext.runAsUser ?? fsGroup), 'volume.podman.io/gid': String(fsGroup) };
          claims.push({
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: claimName, labels: { ...labels }, annotations },
            spec: clone(t.spec),
          });
          spec.volumes.push({ name: t.metadata.name, persistentVolumeClaim: { claimName } });
        }
      }
      pods.push({
        workload: w,
        ordinal: i,
        pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels, annotations: { ...(w.spec.template.metadata?.annotations ?? {}) } }, spec },
      });
    }
  }

  // Ports: first every wish (containerPort + offset), then the first pod to want a port gets it,
  // later ones (other replicas) the next higher port nobody wants.
  const wanted = new Set();
  for (const { pod } of pods) for (const c of pod.spec.containers) for (const p of c.ports ?? []) wanted.add(p.containerPort + portOffset);
  const taken = new Set();
  const moved = new Map(); // pod name -> Map(original containerPort -> new port)
  for (const { pod } of pods) {
    const m = new Map();
    for (const c of pod.spec.containers) {
      for (const p of c.ports ?? []) {
        let port = p.containerPort + portOffset;
        if (taken.has(port)) while (taken.has(port) || wanted.has(port)) port++;
        if (port > 65535) throw new Error(`port ${port} out of range: lower --port-offset`);
        taken.add(port);
        m.set(p.containerPort, port);
      }
    }
    moved.set(pod.metadata.name, m);
  }

  // Stable names of StatefulSet pods through their headless Service -> the moved loopback port.
  const addresses = new Map();
  for (const { workload: w, pod } of pods) {
    if (w.kind !== 'StatefulSet') continue;
    const m = moved.get(pod.metadata.name);
    const svc = services.get(w.spec.serviceName);
    const containerPorts = pod.spec.containers.flatMap((c) => c.ports ?? []);
    const host = `${pod.metadata.name}.${w.spec.serviceName}`;
    for (const p of containerPorts) addresses.set(`${host}:${p.containerPort}`, `${LOOPBACK}:${m.get(p.containerPort)}`);
    for (const sp of svc?.spec?.ports ?? []) {
      const target = sp.targetPort ?? sp.port;
      const cp = containerPorts.find((p) => p.name === target || p.containerPort === target);
      if (cp) addresses.set(`${host}:${sp.port}`, `${LOOPBACK}:${m.get(cp.containerPort)}`);
    }
  }
  const hosts = [...addresses.keys()].sort((a, b) => b.length - a.length);
  const rewrite = (s) => {
    let out = s;
    for (const h of hosts) out = out.split(h).join(addresses.get(h));
    return out;
  };

  // ConfigMaps mounted with different items by different pods: a copy per pod (see the top).
  const cmUses = new Map();
  for (const { pod } of pods) {
    for (const v of pod.spec.volumes ?? []) {
      if (!v.configMap) continue;
      const key = JSON.stringify(v.configMap.items ?? null);
      if (!cmUses.has(v.configMap.name)) cmUses.set(v.configMap.name, new Set());
      cmUses.get(v.configMap.name).add(key);
    }
  }
  const outConfigMaps = new Map();
  for (const [name, cm] of configMaps) if (!(cmUses.get(name)?.size > 1)) outConfigMaps.set(name, cm);

  const summary = { layout, tag, portOffset, namesrvAddr: '', pods: [], brokers: [], filterServers: [], volumes: [], dropped };
  for (const { workload: w, pod } of pods) {
    const m = moved.get(pod.metadata.name);
    const spec = pod.spec;
    spec.hostNetwork = true;
    for (const v of spec.volumes ?? []) {
      if (!v.configMap || !(cmUses.get(v.configMap.name)?.size > 1)) continue;
      const src = configMaps.get(v.configMap.name);
      if (!src) continue;
      const copy = `${v.configMap.name}-${pod.metadata.name}`;
      const keys = (v.configMap.items ?? []).map((it) => it.key);
      outConfigMaps.set(copy, { ...clone(src), metadata: { ...clone(src.metadata), name: copy }, data: Object.fromEntries(keys.map((k) => [k, src.data[k]])) });
      v.configMap.name = copy;
    }
    const podPorts = {};
    for (const c of spec.containers) {
      const app = appOf(c.image);
      c.image = withTag(c.image, tag);
      c.imagePullPolicy = 'Never';
      const args = (c.args ?? []).map(rewrite);
      const flags = PORT_FLAGS[app] ?? {};
      for (const p of c.ports ?? []) {
        const port = m.get(p.containerPort);
        const flag = p.name && flags[p.name];
        if (flag) {
          const at = args.indexOf(flag);
          if (at >= 0 && at + 1 < args.length) args[at + 1] = String(port);
          else args.push(flag, String(port));
        }
        if (p.name) podPorts[p.name] = port;
      }
      c.args = args;
      // podman 4.3 publishes every containerPort (as if hostPort were set) and then refuses the
      // pod: "PortMappings can only be used with Bridge or slirp4netns networking". On the host
      // network they publish nothing anyway: drop them, giving probes the number of a named port.
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        for (const h of [c[probe]?.httpGet, c[probe]?.tcpSocket].filter(Boolean)) {
          h.port = typeof h.port === 'string' ? (podPorts[h.port] ?? h.port) : (m.get(h.port) ?? h.port);
        }
      }
      delete c.ports;
      for (const e of c.env ?? []) {
        if (e.valueFrom?.fieldRef?.fieldPath === 'status.podIP') {
          delete e.valueFrom;
          e.value = LOOPBACK;
        } else if (typeof e.value === 'string') e.value = rewrite(e.value);
      }
      summary.pods.push({ pod: pod.metadata.name, container: c.name, app, ports: podPorts });
      if (app === 'broker-store' || app === 'ha-replicator') {
        summary.brokers.push({
          pod: pod.metadata.name,
          brokerName: pod.metadata.labels['orbitmq.io/broker-name'],
          app,
          role: app === 'broker-store' ? 'master' : 'replica',
          grpc: podPorts.grpc,
          internal: podPorts.internal,
          metrics: podPorts.metrics,
        });
      }
      if (app === 'filter-server') summary.filterServers.push({ pod: pod.metadata.name, grpc: podPorts.grpc, metrics: podPorts.metrics });
    }
  }
  summary.namesrvAddr = summary.pods
    .filter((p) => p.app === 'namesrv')
    .map((p) => `${LOOPBACK}:${p.ports.grpc}`)
    .join(';');
  summary.claims = claims.map((c) => c.metadata.name);
  summary.volumes = [...summary.claims, ...outConfigMaps.keys()];

  const out = [...outConfigMaps.values(), ...claims, ...pods.map((p) => p.pod)];
  const yaml = out.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  return { yaml, summary, dropped };
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`kube-play.mjs: ${e.message}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log('usage: node deploy/ci/kube-play.mjs (--layout L | --in FILE|-) [--tag dev] [--port-offset 21000] [--out FILE] [--summary FILE]');
    return;
  }
  let converted;
  try {
    const rendered = opts.layout
      ? execFileSync('kubectl', ['kustomize', path.join(root, 'deploy/k8s/overlays', opts.layout)], { encoding: 'utf8' })
      : readFileSync(opts.in === '-' ? 0 : opts.in, 'utf8');
    converted = convert(rendered, { tag: opts.tag, portOffset: opts.portOffset, layout: opts.layout ?? opts.in });
  } catch (e) {
    console.error(`kube-play.mjs: ${e.message}`);
    process.exit(1);
  }
  const { yaml, summary, dropped } = converted;
  if (opts.out) writeFileSync(opts.out, yaml);
  else process.stdout.write(yaml);
  if (opts.summary) writeFileSync(opts.summary, `${JSON.stringify(summary, null, 2)}\n`);
  console.error(`kube-play.mjs: dropped (not run by podman): ${dropped.join(', ') || 'nothing'}`);
  console.error(
    `kube-play.mjs: pods: ${summary.pods
      .map(
        (p) =>
          `${p.pod} ${Object.entries(p.ports)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}`,
      )
      .join('; ')}`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
