import type * as grpc from '@grpc/grpc-js';
import { OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { unary } from '../src';

/** A NameServer service for these tests: the given handlers, NOT_IMPLEMENTED for every other RPC. */
export function nameServerBinding(handlers: Partial<v1.NameServerHandlers>): {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
} {
  const notImplemented = unary('x', () => {
    throw new OrbitError('NOT_IMPLEMENTED', 'not in this test');
  });
  const impl = {
    RegisterBroker: notImplemented,
    UnregisterBroker: notImplemented,
    GetRoute: notImplemented,
    GetClusterInfo: notImplemented,
    GetTopicList: notImplemented,
    DeleteTopic: notImplemented,
    ...handlers,
  };
  return { definition: orbitmqV1().NameServer.service, implementation: impl as unknown as grpc.UntypedServiceImplementation };
}
