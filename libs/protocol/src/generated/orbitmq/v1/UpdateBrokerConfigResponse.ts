// Original file: proto/orbitmq/v1/broker_admin.proto


export interface UpdateBrokerConfigResponse {
  'applied'?: ({[key: string]: string});
  'persistedTo'?: (string);
}

export interface UpdateBrokerConfigResponse__Output {
  'applied': ({[key: string]: string});
  'persistedTo': (string);
}
