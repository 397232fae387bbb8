// Original file: proto/orbitmq/v1/namesrv.proto


export interface GetClusterInfoRequest {
}

export interface GetClusterInfoRequest__Output {
}
