// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface HaReplicaStatus {
  'brokerId'?: (number);
  'address'?: (string);
  'clientEndpoint'?: (string);
  'state'?: (string);
  'inSync'?: (boolean);
  'reason'?: (string);
  'ackedWrittenOffset'?: (string);
  'ackedDurableOffset'?: (string);
  'lagBytes'?: (number | string | Long);
  'lagMs'?: (number | string | Long);
  'lastAckAgeMs'?: (number | string | Long);
}

export interface HaReplicaStatus__Output {
  'brokerId': (number);
  'address': (string);
  'clientEndpoint': (string);
  'state': (string);
  'inSync': (boolean);
  'reason': (string);
  'ackedWrittenOffset': (string);
  'ackedDurableOffset': (string);
  'lagBytes': (string);
  'lagMs': (string);
  'lastAckAgeMs': (string);
}
