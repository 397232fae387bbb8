import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { FilterServerRegistryClient as _orbitmq_v1_FilterServerRegistryClient, FilterServerRegistryDefinition as _orbitmq_v1_FilterServerRegistryDefinition } from './orbitmq/v1/FilterServerRegistry';
import type { FilterServiceClient as _orbitmq_v1_FilterServiceClient, FilterServiceDefinition as _orbitmq_v1_FilterServiceDefinition } from './orbitmq/v1/FilterService';
import type { MatchRequest as _orbitmq_v1_MatchRequest, MatchRequest__Output as _orbitmq_v1_MatchRequest__Output } from './orbitmq/v1/MatchRequest';
import type { MatchResponse as _orbitmq_v1_MatchResponse, MatchResponse__Output as _orbitmq_v1_MatchResponse__Output } from './orbitmq/v1/MatchResponse';
import type { MessageHead as _orbitmq_v1_MessageHead, MessageHead__Output as _orbitmq_v1_MessageHead__Output } from './orbitmq/v1/MessageHead';
import type { RegisterFilterServerRequest as _orbitmq_v1_RegisterFilterServerRequest, RegisterFilterServerRequest__Output as _orbitmq_v1_RegisterFilterServerRequest__Output } from './orbitmq/v1/RegisterFilterServerRequest';
import type { RegisterFilterServerResponse as _orbitmq_v1_RegisterFilterServerResponse, RegisterFilterServerResponse__Output as _orbitmq_v1_RegisterFilterServerResponse__Output } from './orbitmq/v1/RegisterFilterServerResponse';
import type { UnregisterFilterServerRequest as _orbitmq_v1_UnregisterFilterServerRequest, UnregisterFilterServerRequest__Output as _orbitmq_v1_UnregisterFilterServerRequest__Output } from './orbitmq/v1/UnregisterFilterServerRequest';
import type { UnregisterFilterServerResponse as _orbitmq_v1_UnregisterFilterServerResponse, UnregisterFilterServerResponse__Output as _orbitmq_v1_UnregisterFilterServerResponse__Output } from './orbitmq/v1/UnregisterFilterServerResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  orbitmq: {
    v1: {
      FilterServerRegistry: SubtypeConstructor<typeof grpc.Client, _orbitmq_v1_FilterServerRegistryClient> & { service: _orbitmq_v1_FilterServerRegistryDefinition }
      FilterService: SubtypeConstructor<typeof grpc.Client, _orbitmq_v1_FilterServiceClient> & { service: _orbitmq_v1_FilterServiceDefinition }
      MatchRequest: MessageTypeDefinition<_orbitmq_v1_MatchRequest, _orbitmq_v1_MatchRequest__Output>
      MatchResponse: MessageTypeDefinition<_orbitmq_v1_MatchResponse, _orbitmq_v1_MatchResponse__Output>
      MessageHead: MessageTypeDefinition<_orbitmq_v1_MessageHead, _orbitmq_v1_MessageHead__Output>
      RegisterFilterServerRequest: MessageTypeDefinition<_orbitmq_v1_RegisterFilterServerRequest, _orbitmq_v1_RegisterFilterServerRequest__Output>
      RegisterFilterServerResponse: MessageTypeDefinition<_orbitmq_v1_RegisterFilterServerResponse, _orbitmq_v1_RegisterFilterServerResponse__Output>
      UnregisterFilterServerRequest: MessageTypeDefinition<_orbitmq_v1_UnregisterFilterServerRequest, _orbitmq_v1_UnregisterFilterServerRequest__Output>
      UnregisterFilterServerResponse: MessageTypeDefinition<_orbitmq_v1_UnregisterFilterServerResponse, _orbitmq_v1_UnregisterFilterServerResponse__Output>
    }
  }
}

