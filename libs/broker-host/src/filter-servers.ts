import type { Broker, FilterMatchRequest, FilterServerTransport, SqlFilterSettings } from '@orbitmq/broker';
import { OrbitError, checkEndpoint, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { type RunningServer, callUnary, createClient, unary } from '@orbitmq/rpc';
import type { Registry } from 'prom-client';
import type { BrokerConfig } from './config';
import { bindFilterMetrics } from './filter-metrics';

/** The broker logic's filter settings from the config keys. */
export function filterSettings(config: BrokerConfig): SqlFilterSettings {
  return {
    enablePropertyFilter: config.enablePropertyFilter,
    fallback: config.filterServerFallback,
    matchTimeoutMs: config.filterMatchTimeoutMs,
    matchRetries: config.filterMatchRetries,
    circuitBreakMs: config.filterCircuitBreakMs,
    maxInflightPerServer: config.maxFilterInflightPerServer,
    filterServerExpiryMs: config.filterServerExpiryMs,
    sqlScanWindow: config.filterScanWindowEntries,
    expressionCacheSize: config.filterExpressionCacheSize,
  };
}

/** broker -> filter server over gRPC: one channel per filter server, Match without retries (the router retries elsewhere). */
export class GrpcFilterTransport implements FilterServerTransport {
  private readonly clients = new Map<string, v1.FilterServiceClient>();

  async match(endpoint: string, request: FilterMatchRequest, deadlineMs: number): Promise<Buffer> {
    let client = this.clients.get(endpoint);
    if (!client) {
      client = createClient(orbitmqV1().FilterService, endpoint);
      this.clients.set(endpoint, client);
    }
    const res = await callUnary(client, client.Match, request, { deadlineMs, retries: 0 });
    return res.matched;
  }

  forget(endpoint: string): void {
    this.clients.get(endpoint)?.close();
    this.clients.delete(endpoint);
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

/** FilterServerRegistry on the broker's internal endpoint: filter servers register (heartbeat) and leave. */
export function filterRegistryService(broker: Broker, onChange: () => void): v1.FilterServerRegistryHandlers {
  const s = broker.settings;
  return {
    Register: unary('Register', async (req: v1.RegisterFilterServerRequest__Output): Promise<v1.RegisterFilterServerResponse> => {
      checkEndpoint('filter server endpoint', req.endpoint);
      if (req.instanceId === '') throw new OrbitError('BAD_REQUEST', 'instance_id is required');
      if (broker.registerFilterServer(req.endpoint, req.instanceId)) onChange();
      return { brokerName: s.brokerName, brokerId: s.brokerId, expiresAfterMs: String(broker.filters.servers.expiryMs) };
    }),
    Unregister: unary('Unregister', async (req: v1.UnregisterFilterServerRequest__Output): Promise<v1.UnregisterFilterServerResponse> => {
      if (broker.unregisterFilterServer(req.endpoint, req.instanceId)) onChange();
      return {};
    }),
  };
}

/**
 * The filter-server tier of one broker process: FilterServerRegistry served on the internal
 * endpoint (a change re-registers with the name servers at once, so routes and mqadmin show it),
 * and the filter metrics. Returns an unbind.
 */
export function serveFilterServers(broker: Broker, internalServer: RunningServer, metrics: Registry, onChange: () => void): () => void {
  internalServer.addService({ definition: orbitmqV1().FilterServerRegistry.service, implementation: filterRegistryService(broker, onChange) as never });
  const off = broker.events.on('filterServerRemoved', onChange);
  const unbindMetrics = bindFilterMetrics(metrics, broker);
  return () => {
    off();
    unbindMetrics();
  };
}
