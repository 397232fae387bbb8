// Original file: proto/orbitmq/v1/filter.proto


export interface MatchResponse {
  'matched'?: (Buffer | Uint8Array | string);
  'evaluated'?: (number);
}

export interface MatchResponse__Output {
  'matched': (Buffer);
  'evaluated': (number);
}
