#!/usr/bin/env node
// Writes the Kubernetes manifests: deploy/k8s/base (name servers, filter servers, the client
// Service, the dashboard) and one kustomize overlay per layout under deploy/conf (a StatefulSet per broker of the
// layout, its properties file in a ConfigMap). `kubectl kustomize deploy/k8s/overlays/<layout>`
// renders a layout; `kubectl apply -k` installs it. With --check, fails if a checked-in file
// differs from what it would write (npm test runs it).
//
// Addresses: name servers get stable DNS names from their StatefulSet and headless Service
// (namesrv-0.namesrv, namesrv-1.namesrv); brokers and filter servers advertise their pod IP
// (downward API -> ORBITMQ_BROKER_IP1 / ORBITMQ_ADVERTISED_HOST, which override the file).
// Ports stay those of the properties files: every pod has its own IP, so they cannot collide.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { brokersOf, layouts, properties } from '../compose/gen-compose.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NAMESRV_PORT = 9876;
const NAMESRV_METRICS_PORT = 5556;
const NAMESRV_REPLICAS = 2;
export const NAMESRV_ADDR = Array.from({ length: NAMESRV_REPLICAS }, (_, i) => `namesrv-${i}.namesrv:${NAMESRV_PORT}`).join(';');
const FILTER_PORT = 8079;
const FILTER_METRICS_PORT = 5559;
const CLIENT_PORT = 8081;
const DASHBOARD_PORT = 8082;
const DASHBOARD_METRICS_PORT = 5560;
const PART_OF = { 'app.kubernetes.io/part-of': 'orbitmq' };
const IMAGE_TAG = 'dev';

const podIpEnv = (name) => ({ name, valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
const scrape = (port) => ({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' });

/** /healthz on the metrics port: readiness gates traffic, liveness restarts a wedged process. */
function probes() {
  const get = { path: '/healthz', port: 'metrics' };
  return {
    readinessProbe: { httpGet: get, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet: get, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 6 },
  };
}

const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
// The images run as nobody (65534); fsGroup makes a fresh PersistentVolume writable for it.
const POD_SECURITY = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 };

function container(app, args, ports, extra = {}) {
  return {
    name: app,
    image: `orbitmq/${app}:${IMAGE_TAG}`,
    args: args.map(String),
    ports: Object.entries(ports).map(([name, containerPort]) => ({ name, containerPort })),
    ...probes(),
    securityContext: CONTAINER_SECURITY,
    ...extra,
  };
}

function namesrv() {
  const labels = { 'app.kubernetes.io/name': 'namesrv', 'app.kubernetes.io/component': 'namesrv' };
  const c = container('namesrv', ['--listenPort', NAMESRV_PORT, '--metricsPort', NAMESRV_METRICS_PORT], { grpc: NAMESRV_PORT, metrics: NAMESRV_METRICS_PORT }, {
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'namesrv', labels },
      // Headless: gives namesrv-0.namesrv and namesrv-1.namesrv, the addresses brokers and
      // clients are configured with; published before readiness so brokers can start in parallel.
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: labels, ports: [{ name: 'grpc', port: NAMESRV_PORT, targetPort: 'grpc' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'namesrv', labels },
      spec: {
        serviceName: 'namesrv',
        replicas: NAMESRV_REPLICAS,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: scrape(NAMESRV_METRICS_PORT) },
          spec: { securityContext: POD_SECURITY, terminationGracePeriodSeconds: 30, containers: [c] },
        },
      },
    },
    pdb('namesrv', labels),
  ];
}

function pdb(name, matchLabels) {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { maxUnavailable: 1, selector: { matchLabels } } };
}

function filterServer() {
  const labels = { 'app.kubernetes.io/name': 'filter-server', 'app.kubernetes.io/component': 'filter-server' };
  const args = ['--namesrvAddr', NAMESRV_ADDR, '--listenPort', FILTER_PORT, '--metricsPort', FILTER_METRICS_PORT];
  const c = container('filter-server', args, { grpc: FILTER_PORT, metrics: FILTER_METRICS_PORT }, {
    env: [podIpEnv('ORBITMQ_ADVERTISED_HOST')],
    // The autoscaler's target is a share of this request.
    resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '512Mi' } },
  });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'filter-server', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: scrape(FILTER_METRICS_PORT) },
          // Brokers stop sending Match calls after the Unregister sent on SIGTERM.
          spec: { securityContext: POD_SECURITY, terminationGracePeriodSeconds: 30, containers: [c] },
        },
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'filter-server' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'filter-server' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    pdb('filter-server', labels),
  ];
}

/**
 * The web dashboard, one replica, listening on the pod's loopback with no login: reach it with
 * `kubectl port-forward deploy/dashboard 8082` (port-forward connects inside the pod). To expose
 * it behind a Service or Ingress, give it a login first (dashboardAuth=file with a users file from
 * a Secret, or acl) and listenHost 0.0.0.0; the app refuses no-login on any other address.
 */
function dashboard() {
  const labels = { 'app.kubernetes.io/name': 'dashboard', 'app.kubernetes.io/component': 'dashboard' };
  const args = ['--namesrvAddr', NAMESRV_ADDR, '--listenHost', '127.0.0.1', '--dashboardAuth', 'none', '--listenPort', DASHBOARD_PORT, '--metricsPort', DASHBOARD_METRICS_PORT];
  const c = container('dashboard', args, { http: DASHBOARD_PORT, metrics: DASHBOARD_METRICS_PORT }, {
    resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '256Mi' } },
  });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'dashboard', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: scrape(DASHBOARD_METRICS_PORT) },
          spec: { securityContext: POD_SECURITY, terminationGracePeriodSeconds: 15, containers: [c] },
        },
      },
    },
  ];
}

/** The one address producers and consumers are given: any master's client (gRPC) port. */
function clientService() {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'orbitmq', labels: { 'app.kubernetes.io/component': 'client-endpoint' } },
    spec: {
      selector: { 'app.kubernetes.io/component': 'broker', 'orbitmq.io/broker-role': 'master' },
      ports: [{ name: 'grpc', port: CLIENT_PORT, targetPort: 'grpc' }],
    },
  };
}

/** A broker of a layout: its headless Service and StatefulSet (one pod, one volume). */
function broker(layout, b) {
  const p = properties(path.join(root, 'deploy/conf', layout, b.file));
  const app = b.replica ? 'ha-replicator' : 'broker-store';
  const role = b.replica ? 'replica' : 'master';
  const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': 'broker', 'app.kubernetes.io/instance': b.name };
  const podLabels = { ...labels, 'orbitmq.io/broker-name': p.brokerName, 'orbitmq.io/broker-id': p.brokerId, 'orbitmq.io/broker-role': role };
  const ports = { grpc: Number(p.grpcServerPort), internal: Number(p.listenPort), metrics: Number(p.metricsPort) };
  const c = container(app, ['-c', `/etc/orbitmq/${b.file}`, '--namesrvAddr', NAMESRV_ADDR], ports, {
    env: [podIpEnv('ORBITMQ_BROKER_IP1')],
    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '2Gi' } },
    volumeMounts: [
      { name: 'conf', mountPath: '/etc/orbitmq', readOnly: true },
      { name: 'data', mountPath: '/var/lib/orbitmq' },
    ],
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: b.name, labels },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: labels, ports: Object.entries(ports).map(([name, port]) => ({ name, port, targetPort: name })) },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: b.name, labels },
      spec: {
        serviceName: b.name,
        // One pod: its identity (brokerName, brokerId) is its properties file, its store the
        // volume claim data-<name>-0, which follows the pod when it is rescheduled.
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: podLabels, annotations: scrape(ports.metrics) },
          spec: {
            securityContext: POD_SECURITY,
            // Time for the ordered stop: unregister, flush the commit log, close LevelDB.
            terminationGracePeriodSeconds: 60,
            containers: [c],
            volumes: [{ name: 'conf', configMap: { name: `${layout}-broker-conf`, items: [{ key: b.file, path: b.file }] } }],
          },
        },
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } },
        ],
      },
    },
  ];
}

function brokersFile(layout) {
  const brokers = brokersOf(layout);
  const data = Object.fromEntries(brokers.map((b) => [b.file, readFileSync(path.join(root, 'deploy/conf', layout, b.file), 'utf8')]));
  const budgets = ['master', ...(brokers.some((b) => b.replica) ? ['replica'] : [])].map((role) =>
    pdb(`broker-${role}`, { 'app.kubernetes.io/component': 'broker', 'orbitmq.io/broker-role': role }),
  );
  return [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${layout}-broker-conf` }, data }, ...brokers.flatMap((b) => broker(layout, b)), ...budgets];
}

function kustomization(fields) {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...fields };
}

const header = (source) => `# Generated by deploy/k8s/gen-k8s.mjs${source}: do not edit.\n`;
const docs = (objects) => objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');

/** Every file the generator owns: path relative to the repository -> text. */
export function files() {
  const out = {};
  out['deploy/k8s/base/namesrv.yaml'] = header('') + docs(namesrv());
  out['deploy/k8s/base/filter-server.yaml'] = header('') + docs(filterServer());
  out['deploy/k8s/base/client-service.yaml'] = header('') + docs([clientService()]);
  out['deploy/k8s/base/dashboard.yaml'] = header('') + docs(dashboard());
  out['deploy/k8s/base/kustomization.yaml'] =
    header('') +
    docs([
      kustomization({
        labels: [{ pairs: PART_OF, includeSelectors: false }],
        resources: ['namesrv.yaml', 'filter-server.yaml', 'client-service.yaml', 'dashboard.yaml'],
        images: ['namesrv', 'broker-store', 'ha-replicator', 'filter-server', 'dashboard'].map((app) => ({ name: `orbitmq/${app}`, newTag: IMAGE_TAG })),
      }),
    ]);
  for (const layout of layouts()) {
    out[`deploy/k8s/overlays/${layout}/brokers.yaml`] = header(` from deploy/conf/${layout}`) + docs(brokersFile(layout));
    out[`deploy/k8s/overlays/${layout}/kustomization.yaml`] =
      header(` from deploy/conf/${layout}`) + `#   kubectl kustomize deploy/k8s/overlays/${layout}   # kubectl apply -k deploy/k8s/overlays/${layout}\n` +
      docs([kustomization({ resources: ['../../base', 'brokers.yaml'] })]);
  }
  return out;
}

function readOr(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const problems = [];
  for (const [rel, text] of Object.entries(files())) {
    const file = path.join(root, rel);
    if (check) {
      if (readOr(file) !== text) problems.push(rel);
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  if (problems.length > 0) {
    console.error(`Kubernetes manifests differ from deploy/conf (run: node deploy/k8s/gen-k8s.mjs): ${problems.join(', ')}`);
    process.exit(1);
  }
  console.log(`Kubernetes manifests match deploy/conf (${Object.keys(files()).length} files)`);
}
