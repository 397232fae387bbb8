// Original file: proto/orbitmq/v1/namesrv.proto


export interface UnregisterBrokerResponse {
}

export interface UnregisterBrokerResponse__Output {
}
