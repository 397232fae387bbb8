// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/service.proto

import type { Resource as _apache_rocketmq_v2_Resource, Resource__Output as _apache_rocketmq_v2_Resource__Output } from '../../../apache/rocketmq/v2/Resource';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../google/protobuf/Duration';

export interface ChangeInvisibleDurationRequest {
  'group'?: (_apache_rocketmq_v2_Resource | null);
  'topic'?: (_apache_rocketmq_v2_Resource | null);
  'receiptHandle'?: (string);
  'invisibleDuration'?: (_google_protobuf_Duration | null);
  'messageId'?: (string);
  'liteTopic'?: (string);
  'suspend'?: (boolean);
  '_liteTopic'?: "liteTopic";
  '_suspend'?: "suspend";
}

export interface ChangeInvisibleDurationRequest__Output {
  'group': (_apache_rocketmq_v2_Resource__Output | null);
  'topic': (_apache_rocketmq_v2_Resource__Output | null);
  'receiptHandle': (string);
  'invisibleDuration': (_google_protobuf_Duration__Output | null);
  'messageId': (string);
  'liteTopic'?: (string);
  'suspend'?: (boolean);
  '_liteTopic'?: "liteTopic";
  '_suspend'?: "suspend";
}
