// Original file: proto/orbitmq/v1/broker_admin.proto


export interface AdminDeleteTopicResponse {
}

export interface AdminDeleteTopicResponse__Output {
}
