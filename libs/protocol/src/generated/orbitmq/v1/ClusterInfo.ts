// Original file: proto/orbitmq/v1/namesrv.proto

import type { LiveBroker as _orbitmq_v1_LiveBroker, LiveBroker__Output as _orbitmq_v1_LiveBroker__Output } from '../../orbitmq/v1/LiveBroker';

export interface ClusterInfo {
  'clusterName'?: (string);
  'brokers'?: (_orbitmq_v1_LiveBroker)[];
}

export interface ClusterInfo__Output {
  'clusterName': (string);
  'brokers': (_orbitmq_v1_LiveBroker__Output)[];
}
