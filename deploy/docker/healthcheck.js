// Container health check: GET /healthz on the app's metrics port, read from the ready file the app
// writes once it serves (ORBITMQ_READY_FILE). No file yet (starting) or no answer: unhealthy.
const fs = require('node:fs');

let port;
try {
  port = JSON.parse(fs.readFileSync(process.env.ORBITMQ_READY_FILE || '/tmp/orbitmq-ready.json', 'utf8')).metricsPort;
} catch {
  process.exit(1);
}
if (port === -1) process.exit(0); // metrics off: nothing to ask; the ready file says it serves
if (!(port > 0)) process.exit(1);
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
  (r) => process.exit(r.ok ? 0 : 1),
  () => process.exit(1),
);
