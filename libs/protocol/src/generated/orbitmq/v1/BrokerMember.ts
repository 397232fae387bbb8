// Original file: proto/orbitmq/v1/namesrv.proto

import type { BrokerEndpoints as _orbitmq_v1_BrokerEndpoints, BrokerEndpoints__Output as _orbitmq_v1_BrokerEndpoints__Output } from '../../orbitmq/v1/BrokerEndpoints';

export interface BrokerMember {
  'brokerId'?: (number);
  'endpoints'?: (_orbitmq_v1_BrokerEndpoints | null);
}

export interface BrokerMember__Output {
  'brokerId': (number);
  'endpoints': (_orbitmq_v1_BrokerEndpoints__Output | null);
}
