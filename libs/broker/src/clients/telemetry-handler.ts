import type * as grpc from '@grpc/grpc-js';
import { OrbitError, assertDecoded, type v2 } from '@orbitmq/protocol';
import type { ClientRegistry, ClientType } from './client-registry';
import type { GroupManager } from '../meta';
import { duration } from '../message';
import { OK_STATUS, statusFromError } from '../status';

export interface SettingsDefaults {
  maxMessageSize: number;
  receiveBatchSize: number;
  longPollingTimeoutMs: number;
}

type TelemetryCall = grpc.ServerDuplexStream<v2.TelemetryCommand__Output, v2.TelemetryCommand>;

export function clientIdOf(metadata: grpc.Metadata): string {
  const id = metadata.get('x-mq-client-id')[0];
  if (typeof id !== 'string' || id.length === 0) throw new OrbitError('CLIENT_ID_REQUIRED', 'the x-mq-client-id header is missing');
  return id;
}

/**
 * Telemetry: the long-lived stream each client opens per broker. Every Settings the client sends
 * is answered with the merged settings (a client waits for that reply, with no timeout, before it
 * starts). Producers get an exponential backoff policy and a real max body size (both required by
 * the Node client); consumers get batch size, long-polling time and whether their group is FIFO, or,
 * when a subscription's filter does not compile, a Status without Settings (40010, with the position).
 * When the client half-closes, the server ends its side too, or the client process cannot exit.
 */
export class TelemetryHandler {
  constructor(
    private readonly clients: ClientRegistry,
    private readonly groups: GroupManager,
    private readonly defaults: SettingsDefaults,
    private readonly onSubscribed: (e: { clientId: string; clientType: string; group: string; topics: string[] }) => void,
    /** Throws (ILLEGAL_FILTER_EXPRESSION, UNSUPPORTED) for a subscription that can never be served. */
    private readonly checkSubscriptions: (entries: readonly v2.SubscriptionEntry__Output[]) => void = () => undefined,
  ) {}

  handle(call: TelemetryCall): void {
    let clientId: string;
    try {
      clientId = clientIdOf(call.metadata);
    } catch (err) {
      call.write({ status: statusFromError(err) });
      call.end();
      return;
    }
    const client = this.clients.touch(clientId, { telemetry: call, remoteAddress: call.getPeer() });
    call.on('data', (cmd: v2.TelemetryCommand__Output) => {
      this.onCommand(clientId, cmd).then(
        (reply) => reply && call.write(reply),
        (err: unknown) => call.write({ status: statusFromError(err) }),
      );
    });
    const release = () => {
      if (client.telemetry === call) delete client.telemetry;
    };
    call.on('end', () => {
      release();
      call.end();
    });
    call.on('error', release);
    call.on('cancelled', release);
  }

  private async onCommand(clientId: string, cmd: v2.TelemetryCommand__Output): Promise<v2.TelemetryCommand | undefined> {
    assertDecoded(cmd); // a command with invalid UTF-8: answered with its Status, the stream stays open
    if (cmd.command !== 'settings' || !cmd.settings) return undefined; // replies to our commands need no answer
    const s = cmd.settings;
    const type = (s.clientType ?? 'UNKNOWN') as ClientType;
    const group = s.subscription?.group?.name;
    const topics = [...(s.publishing?.topics ?? []).map((t) => t.name), ...(s.subscription?.subscriptions ?? []).map((e) => e.topic?.name ?? '')].filter(
      Boolean,
    );
    this.clients.touch(clientId, {
      clientType: type,
      language: s.userAgent?.language ?? '',
      version: s.userAgent?.version ?? '',
      ...(group ? { group } : {}),
      topics,
    });
    const reply: v2.Settings = {
      ...(s.clientType ? { clientType: s.clientType } : {}),
      ...(s.accessPoint ? { accessPoint: s.accessPoint } : {}),
      ...(s.requestTimeout ? { requestTimeout: s.requestTimeout } : {}),
      ...(s.userAgent ? { userAgent: s.userAgent } : {}),
    };
    if (s.publishing || type === 'PRODUCER') {
      reply.backoffPolicy = { maxAttempts: 3, exponentialBackoff: { initial: duration(10), max: duration(1_000), multiplier: 2 } };
      reply.publishing = { topics: s.publishing?.topics ?? [], maxBodySize: this.defaults.maxMessageSize, validateMessageType: true };
    } else if (s.subscription && group) {
      // A bad filter is answered with a Status and no Settings: the client's startup() rejects with it.
      this.checkSubscriptions(s.subscription.subscriptions ?? []);
      const g = await this.groups.ensure(group);
      this.onSubscribed({ clientId, clientType: type, group, topics });
      reply.backoffPolicy = { maxAttempts: g.maxDeliveryAttempts, exponentialBackoff: { initial: duration(1_000), max: duration(60_000), multiplier: 2 } };
      reply.subscription = {
        group: s.subscription.group,
        subscriptions: s.subscription.subscriptions,
        fifo: g.ordering === 'ordered',
        receiveBatchSize: this.defaults.receiveBatchSize,
        longPollingTimeout: duration(this.defaults.longPollingTimeoutMs),
      };
    }
    return { status: OK_STATUS, settings: reply };
  }
}
