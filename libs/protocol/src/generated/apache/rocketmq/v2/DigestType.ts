// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto

export const DigestType = {
  DIGEST_TYPE_UNSPECIFIED: 'DIGEST_TYPE_UNSPECIFIED',
  CRC32: 'CRC32',
  MD5: 'MD5',
  SHA1: 'SHA1',
} as const;

export type DigestType =
  | 'DIGEST_TYPE_UNSPECIFIED'
  | 0
  | 'CRC32'
  | 1
  | 'MD5'
  | 2
  | 'SHA1'
  | 3

export type DigestType__Output = typeof DigestType[keyof typeof DigestType]
