// Original file: proto/orbitmq/v1/broker_admin.proto


export interface DeleteSubscriptionGroupResponse {
}

export interface DeleteSubscriptionGroupResponse__Output {
}
