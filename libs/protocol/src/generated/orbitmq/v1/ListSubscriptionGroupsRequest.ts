// Original file: proto/orbitmq/v1/broker_admin.proto


export interface ListSubscriptionGroupsRequest {
}

export interface ListSubscriptionGroupsRequest__Output {
}
