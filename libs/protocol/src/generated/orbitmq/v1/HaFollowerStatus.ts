// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface HaFollowerStatus {
  'state'?: (string);
  'reason'?: (string);
  'masterAddress'?: (string);
  'masterEndOffset'?: (string);
  'confirmOffset'?: (string);
  'endOffset'?: (string);
  'lagBytes'?: (number | string | Long);
  'masterEpoch'?: (number | string | Long);
  'lastFrameAgeMs'?: (number | string | Long);
}

export interface HaFollowerStatus__Output {
  'state': (string);
  'reason': (string);
  'masterAddress': (string);
  'masterEndOffset': (string);
  'confirmOffset': (string);
  'endOffset': (string);
  'lagBytes': (string);
  'masterEpoch': (string);
  'lastFrameAgeMs': (string);
}
