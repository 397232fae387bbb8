// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto

import type { Resource as _apache_rocketmq_v2_Resource, Resource__Output as _apache_rocketmq_v2_Resource__Output } from '../../../apache/rocketmq/v2/Resource';
import type { Permission as _apache_rocketmq_v2_Permission, Permission__Output as _apache_rocketmq_v2_Permission__Output } from '../../../apache/rocketmq/v2/Permission';
import type { Broker as _apache_rocketmq_v2_Broker, Broker__Output as _apache_rocketmq_v2_Broker__Output } from '../../../apache/rocketmq/v2/Broker';
import type { MessageType as _apache_rocketmq_v2_MessageType, MessageType__Output as _apache_rocketmq_v2_MessageType__Output } from '../../../apache/rocketmq/v2/MessageType';

export interface MessageQueue {
  'topic'?: (_apache_rocketmq_v2_Resource | null);
  'id'?: (number);
  'permission'?: (_apache_rocketmq_v2_Permission);
  'broker'?: (_apache_rocketmq_v2_Broker | null);
  'acceptMessageTypes'?: (_apache_rocketmq_v2_MessageType)[];
}

export interface MessageQueue__Output {
  'topic': (_apache_rocketmq_v2_Resource__Output | null);
  'id': (number);
  'permission': (_apache_rocketmq_v2_Permission__Output);
  'broker': (_apache_rocketmq_v2_Broker__Output | null);
  'acceptMessageTypes': (_apache_rocketmq_v2_MessageType__Output)[];
}
