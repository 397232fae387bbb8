// Original file: proto/orbitmq/v1/namesrv.proto

import type { QueueData as _orbitmq_v1_QueueData, QueueData__Output as _orbitmq_v1_QueueData__Output } from '../../orbitmq/v1/QueueData';
import type { BrokerGroup as _orbitmq_v1_BrokerGroup, BrokerGroup__Output as _orbitmq_v1_BrokerGroup__Output } from '../../orbitmq/v1/BrokerGroup';
import type { FilterServers as _orbitmq_v1_FilterServers, FilterServers__Output as _orbitmq_v1_FilterServers__Output } from '../../orbitmq/v1/FilterServers';

export interface TopicRoute {
  'topic'?: (string);
  'queueDatas'?: (_orbitmq_v1_QueueData)[];
  'brokerGroups'?: (_orbitmq_v1_BrokerGroup)[];
  'filterServers'?: (_orbitmq_v1_FilterServers)[];
}

export interface TopicRoute__Output {
  'topic': (string);
  'queueDatas': (_orbitmq_v1_QueueData__Output)[];
  'brokerGroups': (_orbitmq_v1_BrokerGroup__Output)[];
  'filterServers': (_orbitmq_v1_FilterServers__Output)[];
}
