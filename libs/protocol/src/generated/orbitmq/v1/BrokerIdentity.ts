// Original file: proto/orbitmq/v1/common.proto


export interface BrokerIdentity {
  'clusterName'?: (string);
  'brokerName'?: (string);
  'brokerId'?: (number);
}

export interface BrokerIdentity__Output {
  'clusterName': (string);
  'brokerName': (string);
  'brokerId': (number);
}
