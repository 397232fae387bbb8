import type { Broker } from '@orbitmq/broker';
import type { v1 } from '@orbitmq/protocol';
import { unary } from '@orbitmq/rpc';
import type { BrokerConfig } from './config';

/** orbitmq.v1.BrokerAdmin on the internal port. */
export function adminService(broker: Broker, config: BrokerConfig, startedAtMs: number): Partial<v1.BrokerAdminHandlers> {
  return {
    GetBrokerStatus: unary<v1.GetBrokerStatusRequest__Output, v1.GetBrokerStatusResponse>('GetBrokerStatus', () => {
      const s = broker.store.stats();
      return {
        clusterName: broker.settings.clusterName,
        brokerName: broker.settings.brokerName,
        brokerId: broker.settings.brokerId,
        clientEndpoint: broker.settings.clientEndpoint,
        internalEndpoint: broker.settings.internalEndpoint,
        minOffset: String(s.minOffset),
        endOffset: String(s.endOffset),
        flushedOffset: String(s.flushedOffset),
        dispatchedOffset: String(s.dispatchedOffset),
        diskUsedPercent: s.diskUsedPercent,
        diskFull: s.diskFull,
        topics: broker.topics.list().length,
        groups: broker.groups.list().length,
        clients: broker.clients.list().length,
        inflightMessages: String(broker.pop.inflightCount()),
        uptimeMs: String(Date.now() - startedAtMs),
        config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, Array.isArray(v) ? v.join(';') : String(v)])),
      };
    }),
  };
}
