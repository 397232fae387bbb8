import * as grpc from '@grpc/grpc-js';
import { CHANNEL_OPTIONS } from './limits';

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
