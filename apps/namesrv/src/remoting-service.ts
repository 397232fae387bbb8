import { OrbitError, checkTopicName } from '@orbitmq/protocol';
import { RequestCode, ResponseCode, RemotingServer, createResponse, type RemotingCommand } from '@orbitmq/remoting';
import { type RouteTable, clusterInfo, topicRouteData } from '@orbitmq/route-table';
import type { CallObserver } from '@orbitmq/rpc';

/**
 * The name server's RocketMQ 4.x remoting processors (served on the gRPC port: main.ts sniffs
 * each connection's first bytes): routes for 4.x clients (GET_ROUTEINFO_BY_TOPIC) and the
 * cluster view admin tools ask for (GET_BROKER_CLUSTER_INFO). Brokers register over gRPC only.
 */
export function nameServerRemoting(table: RouteTable, observe: CallObserver, maxConnections: number): RemotingServer {
  const server = new RemotingServer({ maxConnections, responseSerializeType: 'JSON' });
  server.registerProcessor(RequestCode.GET_ROUTEINFO_BY_TOPIC, (cmd) => observed('GET_ROUTEINFO_BY_TOPIC', cmd, observe, () => route(table, cmd)));
  server.registerProcessor(RequestCode.GET_BROKER_CLUSTER_INFO, (cmd) =>
    observed('GET_BROKER_CLUSTER_INFO', cmd, observe, () => createResponse(cmd, ResponseCode.SUCCESS, undefined, {}, json(clusterInfo(table.clusters())))),
  );
  return server;
}

function route(table: RouteTable, cmd: RemotingCommand): RemotingCommand {
  const topic = cmd.extFields.topic ?? '';
  try {
    checkTopicName(topic);
  } catch (e) {
    return createResponse(cmd, ResponseCode.INVALID_PARAMETER, (e as OrbitError).message);
  }
  const r = table.route(topic);
  // RocketMQ's remark, which clients match to fall back to the default topic's route.
  if (!r) return createResponse(cmd, ResponseCode.TOPIC_NOT_EXIST, `No topic route info in name server for the topic: ${topic}`);
  return createResponse(cmd, ResponseCode.SUCCESS, undefined, {}, json(topicRouteData(r)));
}

function observed(method: string, cmd: RemotingCommand, observe: CallObserver, handle: () => RemotingCommand): RemotingCommand {
  const started = performance.now();
  const response = handle();
  observe(`remoting:${method}`, response.code === ResponseCode.SUCCESS ? 'OK' : String(response.code), performance.now() - started);
  return response;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
