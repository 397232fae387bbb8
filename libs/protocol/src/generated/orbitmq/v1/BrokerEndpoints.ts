// Original file: proto/orbitmq/v1/common.proto


export interface BrokerEndpoints {
  'clientEndpoint'?: (string);
  'internalEndpoint'?: (string);
}

export interface BrokerEndpoints__Output {
  'clientEndpoint': (string);
  'internalEndpoint': (string);
}
