// Original file: proto/orbitmq/v1/broker_admin.proto


export interface GetAclConfigRequest {
}

export interface GetAclConfigRequest__Output {
}
