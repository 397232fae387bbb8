import * as grpc from '@grpc/grpc-js';
import { orbitmqV1, type v1 } from '@orbitmq/protocol';
import { CHANNEL_OPTIONS } from '@orbitmq/rpc';
import { type AppProcess, eventually } from './processes';

/** A broker's (or replica's) internal endpoint: admin and replication. */
export function internalAddress(p: AppProcess): string {
  return `127.0.0.1:${String(p.ready.internalPort)}`;
}

function unary<Res>(client: grpc.Client, method: string, req: unknown, deadlineMs = 5_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, (...a: unknown[]) => void>)[method] as (...a: unknown[]) => void;
    fn.call(client, req, { deadline: Date.now() + deadlineMs }, (e: grpc.ServiceError | null, r?: Res) => (e ? reject(e) : resolve(r as Res)));
  });
}

/** BrokerAdmin calls the replication tests use. */
export class AdminClient {
  private readonly client: grpc.Client;

  constructor(address: string) {
    this.client = new (orbitmqV1().BrokerAdmin)(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS) as unknown as grpc.Client;
  }

  haStatus(): Promise<v1.GetHaStatusResponse__Output> {
    return unary(this.client, 'GetHaStatus', {});
  }

  brokerStatus(): Promise<v1.GetBrokerStatusResponse__Output> {
    return unary(this.client, 'GetBrokerStatus', {});
  }

  topicStatus(topic: string): Promise<v1.GetTopicStatusResponse__Output> {
    return unary(this.client, 'GetTopicStatus', { topic });
  }

  query(req: { messageId?: string; topic?: string; key?: string; maxResults?: number }): Promise<v1.QueryMessagesResponse__Output> {
    return unary(this.client, 'QueryMessages', { maxResults: 64, ...req });
  }

  scheduleStats(): Promise<v1.GetScheduleStatsResponse__Output> {
    return unary(this.client, 'GetScheduleStats', {});
  }

  pendingTransactions(topic: string): Promise<v1.ListPendingTransactionsResponse__Output> {
    return unary(this.client, 'ListPendingTransactions', { topic });
  }

  progress(group: string): Promise<v1.GetConsumerProgressResponse__Output> {
    return unary(this.client, 'GetConsumerProgress', { group });
  }

  close(): void {
    this.client.close();
  }
}

/** Waits until the master reports a replica in sync with nothing left to send. */
export async function waitCaughtUp(master: AdminClient, timeoutMs = 30_000): Promise<v1.GetHaStatusResponse__Output> {
  return eventually(
    'a replica in sync with the master end',
    async () => {
      const s = await master.haStatus();
      return s.replicas.some((r) => r.inSync && r.ackedDurableOffset === s.endOffset) ? s : undefined;
    },
    timeoutMs,
  );
}
