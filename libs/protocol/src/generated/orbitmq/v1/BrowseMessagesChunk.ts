// Original file: proto/orbitmq/v1/broker_admin.proto

import type { AdminMessage as _orbitmq_v1_AdminMessage, AdminMessage__Output as _orbitmq_v1_AdminMessage__Output } from '../../orbitmq/v1/AdminMessage';
import type { BrowseProgress as _orbitmq_v1_BrowseProgress, BrowseProgress__Output as _orbitmq_v1_BrowseProgress__Output } from '../../orbitmq/v1/BrowseProgress';

export interface BrowseMessagesChunk {
  'messages'?: (_orbitmq_v1_AdminMessage)[];
  'progress'?: (_orbitmq_v1_BrowseProgress | null);
}

export interface BrowseMessagesChunk__Output {
  'messages': (_orbitmq_v1_AdminMessage__Output)[];
  'progress': (_orbitmq_v1_BrowseProgress__Output | null);
}
