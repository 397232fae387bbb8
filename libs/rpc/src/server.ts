import * as grpc from '@grpc/grpc-js';
import type * as http2 from 'node:http2';
import { CHANNEL_OPTIONS, CONNECTION_FLOW_CONTROL_WINDOW_BYTES, STREAM_FLOW_CONTROL_WINDOW_BYTES } from './limits';

export interface ServiceBinding {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface RunningServer {
  /** The bound port (the real one when asked for port 0). */
  readonly port: number;
  readonly address: string;
  /** Adds a service after binding (e.g. once the bound port is known to the service). */
  addService(binding: ServiceBinding): void;
  /** Stops accepting, lets in-flight calls finish for up to graceMs, then cancels the rest. */
  stop(graceMs: number): Promise<void>;
}

/** Binds a gRPC server on host:port (port 0 picks a free port) with OrbitMQ's channel limits. */
export async function startGrpcServer(host: string, port: number, services: ServiceBinding[]): Promise<RunningServer> {
  const server = new grpc.Server(CHANNEL_OPTIONS);
  for (const s of services) server.addService(s.definition, s.implementation);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  widenFlowControl(server);
  return {
    port: bound,
    address: `${host}:${bound}`,
    addService: (b) => server.addService(b.definition, b.implementation),
    stop: (graceMs) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

/**
 * grpc-js (1.14) servers ignore 'grpc-node.flow_control_window' (grpc/grpc-node#3058), so a
 * server's receive windows stay at Node's 64 KiB. It keeps its http2 servers in a private map;
 * through Node's public http2 API we advertise a larger stream window to new sessions and open
 * each session's connection window. If the private map ever goes away this does nothing, and
 * only speed is lost.
 */
function widenFlowControl(server: grpc.Server): void {
  const servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) return;
  for (const h2 of servers.keys() as IterableIterator<http2.Http2Server>) {
    if (typeof h2.updateSettings !== 'function') continue;
    h2.updateSettings({ initialWindowSize: STREAM_FLOW_CONTROL_WINDOW_BYTES });
    h2.on('session', (session: http2.ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(CONNECTION_FLOW_CONTROL_WINDOW_BYTES);
      } catch {
        // a session that closed at once
      }
    });
  }
}
