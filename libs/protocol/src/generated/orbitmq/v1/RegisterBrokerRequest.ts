// Original file: proto/orbitmq/v1/namesrv.proto

import type { BrokerIdentity as _orbitmq_v1_BrokerIdentity, BrokerIdentity__Output as _orbitmq_v1_BrokerIdentity__Output } from '../../orbitmq/v1/BrokerIdentity';
import type { BrokerEndpoints as _orbitmq_v1_BrokerEndpoints, BrokerEndpoints__Output as _orbitmq_v1_BrokerEndpoints__Output } from '../../orbitmq/v1/BrokerEndpoints';
import type { TopicConfig as _orbitmq_v1_TopicConfig, TopicConfig__Output as _orbitmq_v1_TopicConfig__Output } from '../../orbitmq/v1/TopicConfig';
import type { Long } from '@grpc/proto-loader';

export interface RegisterBrokerRequest {
  'broker'?: (_orbitmq_v1_BrokerIdentity | null);
  'endpoints'?: (_orbitmq_v1_BrokerEndpoints | null);
  'dataVersion'?: (string);
  'topics'?: (_orbitmq_v1_TopicConfig)[];
  'filterServerEndpoints'?: (string)[];
  'ttlMs'?: (number | string | Long);
}

export interface RegisterBrokerRequest__Output {
  'broker': (_orbitmq_v1_BrokerIdentity__Output | null);
  'endpoints': (_orbitmq_v1_BrokerEndpoints__Output | null);
  'dataVersion': (string);
  'topics': (_orbitmq_v1_TopicConfig__Output)[];
  'filterServerEndpoints': (string)[];
  'ttlMs': (string);
}
