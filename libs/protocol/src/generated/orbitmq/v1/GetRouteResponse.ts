// Original file: proto/orbitmq/v1/namesrv.proto

import type { TopicRoute as _orbitmq_v1_TopicRoute, TopicRoute__Output as _orbitmq_v1_TopicRoute__Output } from '../../orbitmq/v1/TopicRoute';

export interface GetRouteResponse {
  'route'?: (_orbitmq_v1_TopicRoute | null);
}

export interface GetRouteResponse__Output {
  'route': (_orbitmq_v1_TopicRoute__Output | null);
}
