// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface GetBrokerStatusResponse {
  'clusterName'?: (string);
  'brokerName'?: (string);
  'brokerId'?: (number);
  'clientEndpoint'?: (string);
  'internalEndpoint'?: (string);
  'minOffset'?: (string);
  'endOffset'?: (string);
  'flushedOffset'?: (string);
  'dispatchedOffset'?: (string);
  'diskUsedPercent'?: (number | string);
  'diskFull'?: (boolean);
  'topics'?: (number);
  'groups'?: (number);
  'clients'?: (number);
  'inflightMessages'?: (number | string | Long);
  'uptimeMs'?: (number | string | Long);
  'config'?: ({[key: string]: string});
  'configDefaults'?: ({[key: string]: string});
  'liveKeys'?: (string)[];
}

export interface GetBrokerStatusResponse__Output {
  'clusterName': (string);
  'brokerName': (string);
  'brokerId': (number);
  'clientEndpoint': (string);
  'internalEndpoint': (string);
  'minOffset': (string);
  'endOffset': (string);
  'flushedOffset': (string);
  'dispatchedOffset': (string);
  'diskUsedPercent': (number);
  'diskFull': (boolean);
  'topics': (number);
  'groups': (number);
  'clients': (number);
  'inflightMessages': (string);
  'uptimeMs': (string);
  'config': ({[key: string]: string});
  'configDefaults': ({[key: string]: string});
  'liveKeys': (string)[];
}
