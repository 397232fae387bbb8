import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BrokerEndpoints as _orbitmq_v1_BrokerEndpoints, BrokerEndpoints__Output as _orbitmq_v1_BrokerEndpoints__Output } from './orbitmq/v1/BrokerEndpoints';
import type { BrokerIdentity as _orbitmq_v1_BrokerIdentity, BrokerIdentity__Output as _orbitmq_v1_BrokerIdentity__Output } from './orbitmq/v1/BrokerIdentity';
import type { TopicConfig as _orbitmq_v1_TopicConfig, TopicConfig__Output as _orbitmq_v1_TopicConfig__Output } from './orbitmq/v1/TopicConfig';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  orbitmq: {
    v1: {
      BrokerEndpoints: MessageTypeDefinition<_orbitmq_v1_BrokerEndpoints, _orbitmq_v1_BrokerEndpoints__Output>
      BrokerIdentity: MessageTypeDefinition<_orbitmq_v1_BrokerIdentity, _orbitmq_v1_BrokerIdentity__Output>
      MessageType: EnumTypeDefinition
      TopicConfig: MessageTypeDefinition<_orbitmq_v1_TopicConfig, _orbitmq_v1_TopicConfig__Output>
    }
  }
}

