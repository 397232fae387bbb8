// The Grafana dashboard names only metrics OrbitMQ exports (a renamed metric would leave a panel
// silently empty), and every panel queries the dashboard's Prometheus data source variable.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dashboard = JSON.parse(readFileSync(path.join(root, 'deploy/grafana/orbitmq-dashboard.json'), 'utf8'));

/** Metric names defined in the apps' and libs' sources ('rocketmq_...' / 'orbitmq_...' string literals). */
function exportedMetrics() {
  const names = new Set();
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/'((?:rocketmq|orbitmq)_[a-z_]+)'/g)) names.add(m[1]);
    }
  };
  for (const top of ['libs', 'apps']) {
    for (const d of readdirSync(path.join(root, top), { withFileTypes: true })) if (d.isDirectory()) walk(path.join(root, top, d.name, 'src'));
  }
  return names;
}

test('every metric the dashboard queries is one OrbitMQ exports', () => {
  const exported = exportedMetrics();
  assert.ok(exported.size > 40, `found ${exported.size} metric names in the sources`);
  const used = new Set();
  for (const panel of dashboard.panels) {
    assert.equal(panel.datasource?.uid, '${datasource}', `${panel.title}: uses the data source variable`);
    assert.ok(panel.targets.length > 0, `${panel.title}: has a query`);
    for (const t of panel.targets) for (const m of t.expr.matchAll(/\b(?:rocketmq|orbitmq)_[a-z_]+/g)) used.add(m[0].replace(/_(bucket|sum|count)$/, ''));
  }
  const unknown = [...used].filter((m) => !exported.has(m));
  assert.deepEqual(unknown, [], 'metrics the dashboard names but nothing exports');
  for (const wanted of ['rocketmq_messages_in_total', 'rocketmq_consumer_lag_messages', 'rocketmq_ha_replica_lag_bytes', 'orbitmq_filter_server_evaluated_total', 'rocketmq_store_disk_used_ratio', 'rocketmq_rpc_requests_total']) {
    assert.ok(used.has(wanted), `the dashboard shows ${wanted}`);
  }
});
