// Original file: proto/orbitmq/v1/broker_admin.proto


export interface GetHaStatusRequest {
}

export interface GetHaStatusRequest__Output {
}
