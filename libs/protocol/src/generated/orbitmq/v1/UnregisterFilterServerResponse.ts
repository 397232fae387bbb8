// Original file: proto/orbitmq/v1/filter.proto


export interface UnregisterFilterServerResponse {
}

export interface UnregisterFilterServerResponse__Output {
}
