// Original file: proto/orbitmq/v1/filter.proto

import type { MessageHead as _orbitmq_v1_MessageHead, MessageHead__Output as _orbitmq_v1_MessageHead__Output } from '../../orbitmq/v1/MessageHead';

export interface MatchRequest {
  'expression'?: (string);
  'topic'?: (string);
  'group'?: (string);
  'heads'?: (_orbitmq_v1_MessageHead)[];
}

export interface MatchRequest__Output {
  'expression': (string);
  'topic': (string);
  'group': (string);
  'heads': (_orbitmq_v1_MessageHead__Output)[];
}
