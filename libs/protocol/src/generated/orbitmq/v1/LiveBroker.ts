// Original file: proto/orbitmq/v1/namesrv.proto

import type { BrokerIdentity as _orbitmq_v1_BrokerIdentity, BrokerIdentity__Output as _orbitmq_v1_BrokerIdentity__Output } from '../../orbitmq/v1/BrokerIdentity';
import type { BrokerEndpoints as _orbitmq_v1_BrokerEndpoints, BrokerEndpoints__Output as _orbitmq_v1_BrokerEndpoints__Output } from '../../orbitmq/v1/BrokerEndpoints';
import type { Long } from '@grpc/proto-loader';

export interface LiveBroker {
  'broker'?: (_orbitmq_v1_BrokerIdentity | null);
  'endpoints'?: (_orbitmq_v1_BrokerEndpoints | null);
  'dataVersion'?: (string);
  'lastHeartbeatMs'?: (number | string | Long);
  'ttlMs'?: (number | string | Long);
  'topicCount'?: (number);
  'filterServerEndpoints'?: (string)[];
}

export interface LiveBroker__Output {
  'broker': (_orbitmq_v1_BrokerIdentity__Output | null);
  'endpoints': (_orbitmq_v1_BrokerEndpoints__Output | null);
  'dataVersion': (string);
  'lastHeartbeatMs': (string);
  'ttlMs': (string);
  'topicCount': (number);
  'filterServerEndpoints': (string)[];
}
