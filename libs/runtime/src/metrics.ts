import * as http from 'node:http';
import { Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsServer {
  readonly registry: Registry;
  /** Bound port (real one when asked for 0); 0 when metrics are disabled. */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A prom-client registry with Node's process metrics, served as text on GET /metrics, and
 * GET /healthz for liveness probes. metricsPort -1 disables the endpoint (the registry still works).
 */
export async function startMetricsServer(app: string, host: string, port: number): Promise<MetricsServer> {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  if (port < 0) return { registry, port: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics failed: ${err.message}\n`);
        },
      );
      return;
    }
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found: try /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  return {
    registry,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
