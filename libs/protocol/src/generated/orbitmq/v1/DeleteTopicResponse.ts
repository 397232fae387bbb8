// Original file: proto/orbitmq/v1/namesrv.proto


export interface DeleteTopicResponse {
}

export interface DeleteTopicResponse__Output {
}
