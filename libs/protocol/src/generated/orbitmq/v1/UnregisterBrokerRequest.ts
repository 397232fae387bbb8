// Original file: proto/orbitmq/v1/namesrv.proto

import type { BrokerIdentity as _orbitmq_v1_BrokerIdentity, BrokerIdentity__Output as _orbitmq_v1_BrokerIdentity__Output } from '../../orbitmq/v1/BrokerIdentity';

export interface UnregisterBrokerRequest {
  'broker'?: (_orbitmq_v1_BrokerIdentity | null);
}

export interface UnregisterBrokerRequest__Output {
  'broker': (_orbitmq_v1_BrokerIdentity__Output | null);
}
