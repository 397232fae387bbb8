// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto

import type { Endpoints as _apache_rocketmq_v2_Endpoints, Endpoints__Output as _apache_rocketmq_v2_Endpoints__Output } from '../../../apache/rocketmq/v2/Endpoints';

export interface Metric {
  'on'?: (boolean);
  'endpoints'?: (_apache_rocketmq_v2_Endpoints | null);
  '_endpoints'?: "endpoints";
}

export interface Metric__Output {
  'on': (boolean);
  'endpoints'?: (_apache_rocketmq_v2_Endpoints__Output | null);
  '_endpoints'?: "endpoints";
}
