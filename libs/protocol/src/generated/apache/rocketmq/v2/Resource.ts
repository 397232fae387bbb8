// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto


export interface Resource {
  'resourceNamespace'?: (string);
  'name'?: (string);
}

export interface Resource__Output {
  'resourceNamespace': (string);
  'name': (string);
}
