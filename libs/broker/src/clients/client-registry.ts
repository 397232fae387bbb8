import type * as grpc from '@grpc/grpc-js';
import type { v2 } from '@orbitmq/protocol';

export type ClientType = 'PRODUCER' | 'PUSH_CONSUMER' | 'SIMPLE_CONSUMER' | 'LITE_PUSH_CONSUMER' | 'UNKNOWN';

export interface ClientInfo {
  clientId: string;
  clientType: ClientType;
  language: string;
  version: string;
  remoteAddress: string;
  groups: Set<string>;
  topics: Set<string>;
  lastSeenMs: number;
  telemetry?: grpc.ServerDuplexStream<v2.TelemetryCommand__Output, v2.TelemetryCommand>;
}

/**
 * Who is connected: keyed by the x-mq-client-id header, fed by Telemetry settings, heartbeats and
 * sends, cleared on NotifyClientTermination or when a client is silent for longer than its TTL.
 * The Telemetry stream is kept for server-initiated commands (transaction check-backs).
 */
export class ClientRegistry {
  private readonly clients = new Map<string, ClientInfo>();
  private sweep: NodeJS.Timeout | undefined;

  constructor(private readonly ttlMs: number) {}

  touch(clientId: string, patch: Partial<Omit<ClientInfo, 'clientId' | 'groups' | 'topics'>> & { group?: string; topics?: string[] } = {}): ClientInfo {
    let c = this.clients.get(clientId);
    if (!c) {
      c = { clientId, clientType: 'UNKNOWN', language: '', version: '', remoteAddress: '', groups: new Set(), topics: new Set(), lastSeenMs: Date.now() };
      this.clients.set(clientId, c);
    }
    const { group, topics, ...rest } = patch;
    Object.assign(c, rest);
    if (group) c.groups.add(group);
    for (const t of topics ?? []) c.topics.add(t);
    c.lastSeenMs = Date.now();
    return c;
  }

  get(clientId: string): ClientInfo | undefined {
    return this.clients.get(clientId);
  }

  remove(clientId: string): void {
    this.clients.delete(clientId);
  }

  list(): ClientInfo[] {
    return [...this.clients.values()];
  }

  /** Drops clients with neither a live Telemetry stream nor a recent heartbeat. */
  expire(nowMs = Date.now()): string[] {
    const gone: string[] = [];
    for (const c of this.clients.values()) if (!c.telemetry && nowMs - c.lastSeenMs > this.ttlMs) gone.push(c.clientId);
    for (const id of gone) this.clients.delete(id);
    return gone;
  }

  /** Expires silent clients every `intervalMs` until stopSweep(). */
  startSweep(intervalMs: number, onExpired: (clientId: string) => void): void {
    this.sweep = setInterval(() => {
      for (const id of this.expire()) onExpired(id);
    }, intervalMs);
    this.sweep.unref();
  }

  stopSweep(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = undefined;
  }
}
