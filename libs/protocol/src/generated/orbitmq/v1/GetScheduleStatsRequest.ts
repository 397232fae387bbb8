// Original file: proto/orbitmq/v1/broker_admin.proto


export interface GetScheduleStatsRequest {
}

export interface GetScheduleStatsRequest__Output {
}
