// Original file: proto/orbitmq/v1/broker_admin.proto

import type { TopicConfig as _orbitmq_v1_TopicConfig, TopicConfig__Output as _orbitmq_v1_TopicConfig__Output } from '../../orbitmq/v1/TopicConfig';

export interface TopicStats {
  'topic'?: (_orbitmq_v1_TopicConfig | null);
  'messagesWritten'?: (string);
}

export interface TopicStats__Output {
  'topic': (_orbitmq_v1_TopicConfig__Output | null);
  'messagesWritten': (string);
}
