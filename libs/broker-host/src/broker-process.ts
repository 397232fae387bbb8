import type { AclGuard } from '@orbitmq/acl';
import { type BrokerIndexes, type BrokerSettings, createBrokerIndexes } from '@orbitmq/broker';
import { NameServerClients } from '@orbitmq/namesrv-client';
import { reflectionPackage } from '@orbitmq/protocol';
import { type RunningServer, startGrpcServer, useClientTls, useClusterSecret } from '@orbitmq/rpc';
import { type Logger, type ReadBrakeStats, clientTlsOf, connectionMetrics, serverTlsOf, tlsReloadLog } from '@orbitmq/runtime';
import { MessageStore } from '@orbitmq/storage';
import type { Socket } from 'node:net';
import type { Registry } from 'prom-client';
import { openAcl } from './acl';
import { type BrokerConfig, advertisedHost } from './config';
import { brokerSettings, storeConfig } from './settings';
import { logStoreEvents } from './store-events';

/** What every broker process (master or replica) has before its role-specific wiring. */
export interface BrokerProcess {
  indexes: BrokerIndexes;
  store: MessageStore;
  clientServer: RunningServer;
  internalServer: RunningServer;
  settings: BrokerSettings;
  namesrv: NameServerClients;
  stopStoreLogs: () => void;
  /** aclEnable: the checks for the broker and its admin service (guard undefined when off); stop() ends the file watch. */
  acl: { guard: AclGuard | undefined; stop(): void };
  /** Serves RocketMQ 4.x remoting on the internal port (until then such connections are closed). */
  serveRemoting(server: RemotingEndpoint): void;
}

/** What the host asks of the 4.x remoting server (structurally @orbitmq/remoting's RemotingServer). */
export interface RemotingEndpoint {
  handleSocket(socket: Socket, firstChunk: Buffer): { readonly remoteAddress: string } | undefined;
  readonly connectionCount: number;
  brakeReads(peer: string, callsPerSecond: number, firstAtOnce?: boolean): boolean;
  releaseReads(peer: string): void;
  readBrakes(): ReadBrakeStats;
}

/**
 * The start both broker apps share: the store (recovered before anything is served), its logs,
 * both gRPC servers bound with the connection limits (the internal one sharing its port with 4.x
 * remoting), the settings with the advertised endpoints,
 * and the name-server clients. Services are added by the caller.
 */
export async function openBrokerProcess(ctx: { config: BrokerConfig; logger: Logger; metrics: Registry; configFile?: string }): Promise<BrokerProcess> {
  const { config, logger, metrics, configFile } = ctx;
  // Timer and transaction indexes are dispatch extensions: they must see recovery's re-dispatch
  // (a replica rebuilds every index from the log with the same extensions).
  useClientTls(clientTlsOf(config)); // tlsEnable: registration, replication, filter servers over TLS
  useClusterSecret(config.clusterSecret); // our internal calls carry the cluster credential
  // aclEnable: plain_acl.yml is read (then watched) before anything serves; a bad file stops the start.
  const opened = openAcl(config, configFile, logger);
  const acl = { guard: opened?.guard, stop: () => opened?.stop() };
  const indexes = createBrokerIndexes({ transactionTimeoutMs: config.transactionTimeOut });
  const store = await MessageStore.open(storeConfig(config), { extensions: indexes.extensions });
  logger.info('store opened', { rootDir: store.config.rootDir, storeId: store.identity().storeId, ...store.recovery });
  const stopStoreLogs = logStoreEvents(store, logger);

  // Both endpoints get the connection limits (maxConnections, handshake/idle timeouts, keepalive).
  const connections = connectionMetrics(metrics);
  // Both ports: TLS as configured, and the cluster credential for the internal calls served there.
  const security = {
    tls: serverTlsOf(config),
    onTlsReload: tlsReloadLog(logger),
    clusterSecret: config.clusterSecret,
  };
  const clientServer = await startGrpcServer(config.listenHost, config.grpcServerPort, [], {
    limits: config,
    onConnection: connections.observer('client'),
    ...security,
    ...(acl.guard ? { brakeAtConnect: acl.guard.brakeAtConnect } : {}),
  });
  // The internal port brakes (and, over TLS, gates) at connect only where its cluster calls prove
  // themselves (clusterSecret): a replica or filter server sharing a flooder's IP is then freed by its
  // first call, as an admin tool is by its first accepted one. Without the credential nothing frees them.
  const internalBrakes = acl.guard && config.clusterSecret ? { brakeAtConnect: acl.guard.brakeAtConnect, onClusterAuthPass: acl.guard.vouch } : {};
  // The internal port also speaks RocketMQ 4.x remoting (RocketMQ's listenPort does): a
  // connection's first byte tells HTTP/2 from a remoting frame.
  let remoting: RemotingEndpoint | undefined;
  const internalServer = await startGrpcServer(config.listenHost, config.listenPort, [], {
    limits: config,
    ...security,
    reflection: reflectionPackage(),
    onConnection: connections.observer('internal'),
    ...internalBrakes,
    otherProtocol: (socket, firstChunk) => (remoting ? serveRemotingSocket(remoting, acl.guard, socket, firstChunk) : socket.destroy()),
  });
  // A connection that does nothing but fail authentication is read at the pacing rate (the
  // client's and admin's calls arrive on these two servers; a peer's "ip:port" is open on one).
  acl.guard?.brakeConnectionsWith({
    brake: (peer, callsPerSecond) =>
      void (clientServer.brakeReads(peer, callsPerSecond) || internalServer.brakeReads(peer, callsPerSecond) || remoting?.brakeReads(peer, callsPerSecond)),
    release: (peer) => {
      clientServer.releaseReads(peer);
      internalServer.releaseReads(peer);
      remoting?.releaseReads(peer);
    },
  });
  connections.track(
    'client',
    () => clientServer.connections(),
    () => clientServer.readBrakes(),
  );
  connections.track(
    'internal',
    () => internalServer.connections(),
    () => internalServer.readBrakes(),
  );
  connections.track(
    'remoting',
    () => remoting?.connectionCount ?? 0,
    () => remoting?.readBrakes() ?? { braked: 0, brakedTotal: 0, streamsTotal: 0 },
  );
  const host = advertisedHost(config);
  const settings = brokerSettings(config, `${host}:${clientServer.port}`, `${host}:${internalServer.port}`);
  const namesrv = new NameServerClients(config.namesrvAddr, { deadlineMs: 3_000, retries: 1 });
  const serveRemoting = (server: NonNullable<typeof remoting>): void => void (remoting = server);
  return { indexes, store, clientServer, internalServer, settings, namesrv, stopStoreLogs, serveRemoting, acl };
}

/**
 * A 4.x connection, braked from its first request when its IP keeps failing authentication (as the
 * client port's gRPC connections are): its first request is read at once, so a good client's
 * first accepted call frees it. Every 4.x request the broker serves passes the ACL check, so a
 * good client does not stay braked for want of one (unlike the internal port's gRPC peers).
 */
function serveRemotingSocket(remoting: RemotingEndpoint, guard: AclGuard | undefined, socket: Socket, firstChunk: Buffer): void {
  const conn = remoting.handleSocket(socket, firstChunk);
  if (!conn || !guard) return;
  const brake = guard.brakeAtConnect(conn.remoteAddress);
  if (brake) remoting.brakeReads(conn.remoteAddress, brake.callsPerSecond, true);
}
