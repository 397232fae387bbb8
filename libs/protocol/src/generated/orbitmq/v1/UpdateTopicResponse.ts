// Original file: proto/orbitmq/v1/broker_admin.proto


export interface UpdateTopicResponse {
}

export interface UpdateTopicResponse__Output {
}
