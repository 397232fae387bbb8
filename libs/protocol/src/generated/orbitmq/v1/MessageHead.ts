// Original file: proto/orbitmq/v1/filter.proto


export interface MessageHead {
  'tag'?: (string);
  'keys'?: (string)[];
  'messageId'?: (string);
  'properties'?: (Buffer | Uint8Array | string);
}

export interface MessageHead__Output {
  'tag': (string);
  'keys': (string)[];
  'messageId': (string);
  'properties': (Buffer);
}
