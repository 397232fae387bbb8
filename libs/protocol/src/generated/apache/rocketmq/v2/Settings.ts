// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto

import type { ClientType as _apache_rocketmq_v2_ClientType, ClientType__Output as _apache_rocketmq_v2_ClientType__Output } from '../../../apache/rocketmq/v2/ClientType';
import type { Endpoints as _apache_rocketmq_v2_Endpoints, Endpoints__Output as _apache_rocketmq_v2_Endpoints__Output } from '../../../apache/rocketmq/v2/Endpoints';
import type { RetryPolicy as _apache_rocketmq_v2_RetryPolicy, RetryPolicy__Output as _apache_rocketmq_v2_RetryPolicy__Output } from '../../../apache/rocketmq/v2/RetryPolicy';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../google/protobuf/Duration';
import type { Publishing as _apache_rocketmq_v2_Publishing, Publishing__Output as _apache_rocketmq_v2_Publishing__Output } from '../../../apache/rocketmq/v2/Publishing';
import type { Subscription as _apache_rocketmq_v2_Subscription, Subscription__Output as _apache_rocketmq_v2_Subscription__Output } from '../../../apache/rocketmq/v2/Subscription';
import type { UA as _apache_rocketmq_v2_UA, UA__Output as _apache_rocketmq_v2_UA__Output } from '../../../apache/rocketmq/v2/UA';
import type { Metric as _apache_rocketmq_v2_Metric, Metric__Output as _apache_rocketmq_v2_Metric__Output } from '../../../apache/rocketmq/v2/Metric';

export interface Settings {
  'clientType'?: (_apache_rocketmq_v2_ClientType);
  'accessPoint'?: (_apache_rocketmq_v2_Endpoints | null);
  'backoffPolicy'?: (_apache_rocketmq_v2_RetryPolicy | null);
  'requestTimeout'?: (_google_protobuf_Duration | null);
  'publishing'?: (_apache_rocketmq_v2_Publishing | null);
  'subscription'?: (_apache_rocketmq_v2_Subscription | null);
  'userAgent'?: (_apache_rocketmq_v2_UA | null);
  'metric'?: (_apache_rocketmq_v2_Metric | null);
  '_clientType'?: "clientType";
  '_accessPoint'?: "accessPoint";
  '_backoffPolicy'?: "backoffPolicy";
  '_requestTimeout'?: "requestTimeout";
  'pubSub'?: "publishing"|"subscription";
}

export interface Settings__Output {
  'clientType'?: (_apache_rocketmq_v2_ClientType__Output);
  'accessPoint'?: (_apache_rocketmq_v2_Endpoints__Output | null);
  'backoffPolicy'?: (_apache_rocketmq_v2_RetryPolicy__Output | null);
  'requestTimeout'?: (_google_protobuf_Duration__Output | null);
  'publishing'?: (_apache_rocketmq_v2_Publishing__Output | null);
  'subscription'?: (_apache_rocketmq_v2_Subscription__Output | null);
  'userAgent': (_apache_rocketmq_v2_UA__Output | null);
  'metric': (_apache_rocketmq_v2_Metric__Output | null);
  '_clientType'?: "clientType";
  '_accessPoint'?: "accessPoint";
  '_backoffPolicy'?: "backoffPolicy";
  '_requestTimeout'?: "requestTimeout";
  'pubSub'?: "publishing"|"subscription";
}
