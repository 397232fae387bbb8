import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BrokerAdminClient as _orbitmq_v1_BrokerAdminClient, BrokerAdminDefinition as _orbitmq_v1_BrokerAdminDefinition } from './orbitmq/v1/BrokerAdmin';
import type { GetBrokerStatusRequest as _orbitmq_v1_GetBrokerStatusRequest, GetBrokerStatusRequest__Output as _orbitmq_v1_GetBrokerStatusRequest__Output } from './orbitmq/v1/GetBrokerStatusRequest';
import type { GetBrokerStatusResponse as _orbitmq_v1_GetBrokerStatusResponse, GetBrokerStatusResponse__Output as _orbitmq_v1_GetBrokerStatusResponse__Output } from './orbitmq/v1/GetBrokerStatusResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  orbitmq: {
    v1: {
      BrokerAdmin: SubtypeConstructor<typeof grpc.Client, _orbitmq_v1_BrokerAdminClient> & { service: _orbitmq_v1_BrokerAdminDefinition }
      GetBrokerStatusRequest: MessageTypeDefinition<_orbitmq_v1_GetBrokerStatusRequest, _orbitmq_v1_GetBrokerStatusRequest__Output>
      GetBrokerStatusResponse: MessageTypeDefinition<_orbitmq_v1_GetBrokerStatusResponse, _orbitmq_v1_GetBrokerStatusResponse__Output>
    }
  }
}

