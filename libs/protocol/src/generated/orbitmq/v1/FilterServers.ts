// Original file: proto/orbitmq/v1/namesrv.proto


export interface FilterServers {
  'brokerName'?: (string);
  'brokerId'?: (number);
  'endpoints'?: (string)[];
}

export interface FilterServers__Output {
  'brokerName': (string);
  'brokerId': (number);
  'endpoints': (string)[];
}
