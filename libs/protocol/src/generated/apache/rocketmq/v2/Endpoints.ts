// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto

import type { AddressScheme as _apache_rocketmq_v2_AddressScheme, AddressScheme__Output as _apache_rocketmq_v2_AddressScheme__Output } from '../../../apache/rocketmq/v2/AddressScheme';
import type { Address as _apache_rocketmq_v2_Address, Address__Output as _apache_rocketmq_v2_Address__Output } from '../../../apache/rocketmq/v2/Address';

export interface Endpoints {
  'scheme'?: (_apache_rocketmq_v2_AddressScheme);
  'addresses'?: (_apache_rocketmq_v2_Address)[];
}

export interface Endpoints__Output {
  'scheme': (_apache_rocketmq_v2_AddressScheme__Output);
  'addresses': (_apache_rocketmq_v2_Address__Output)[];
}
