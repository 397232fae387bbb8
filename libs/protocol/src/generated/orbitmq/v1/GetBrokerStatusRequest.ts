// Original file: proto/orbitmq/v1/broker_admin.proto


export interface GetBrokerStatusRequest {
}

export interface GetBrokerStatusRequest__Output {
}
