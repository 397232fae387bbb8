// Original file: proto/orbitmq/v1/broker_admin.proto

import type { AdminMessage as _orbitmq_v1_AdminMessage, AdminMessage__Output as _orbitmq_v1_AdminMessage__Output } from '../../orbitmq/v1/AdminMessage';
import type { GroupDelivery as _orbitmq_v1_GroupDelivery, GroupDelivery__Output as _orbitmq_v1_GroupDelivery__Output } from '../../orbitmq/v1/GroupDelivery';

export interface GetDeliveryStateResponse {
  'message'?: (_orbitmq_v1_AdminMessage | null);
  'deliveries'?: (_orbitmq_v1_GroupDelivery)[];
  'groupsLeftOut'?: (number);
}

export interface GetDeliveryStateResponse__Output {
  'message': (_orbitmq_v1_AdminMessage__Output | null);
  'deliveries': (_orbitmq_v1_GroupDelivery__Output)[];
  'groupsLeftOut': (number);
}
