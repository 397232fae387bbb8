// Original file: proto/orbitmq/v1/namesrv.proto

import type { BrokerMember as _orbitmq_v1_BrokerMember, BrokerMember__Output as _orbitmq_v1_BrokerMember__Output } from '../../orbitmq/v1/BrokerMember';

export interface BrokerGroup {
  'clusterName'?: (string);
  'brokerName'?: (string);
  'members'?: (_orbitmq_v1_BrokerMember)[];
}

export interface BrokerGroup__Output {
  'clusterName': (string);
  'brokerName': (string);
  'members': (_orbitmq_v1_BrokerMember__Output)[];
}
