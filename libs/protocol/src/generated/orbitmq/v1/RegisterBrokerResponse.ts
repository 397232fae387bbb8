// Original file: proto/orbitmq/v1/namesrv.proto

import type { BrokerEndpoints as _orbitmq_v1_BrokerEndpoints, BrokerEndpoints__Output as _orbitmq_v1_BrokerEndpoints__Output } from '../../orbitmq/v1/BrokerEndpoints';

export interface RegisterBrokerResponse {
  'master'?: (_orbitmq_v1_BrokerEndpoints | null);
  'topicsUpdated'?: (boolean);
}

export interface RegisterBrokerResponse__Output {
  'master': (_orbitmq_v1_BrokerEndpoints__Output | null);
  'topicsUpdated': (boolean);
}
