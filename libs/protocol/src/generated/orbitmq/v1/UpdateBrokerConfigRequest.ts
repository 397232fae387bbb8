// Original file: proto/orbitmq/v1/broker_admin.proto


export interface UpdateBrokerConfigRequest {
  'properties'?: ({[key: string]: string});
}

export interface UpdateBrokerConfigRequest__Output {
  'properties': ({[key: string]: string});
}
