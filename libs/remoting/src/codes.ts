// Numeric tables of the remoting protocol, named as in RocketMQ's Java sources
// (remoting/.../protocol/{RequestCode,ResponseCode,RemotingSysResponseCode,LanguageCode,SerializeType}.java,
// common/.../sysflag/{MessageSysFlag,PullSysFlag}.java). Only the codes OrbitMQ serves or sends are listed.

/** Request codes (a request's `code`). */
export const RequestCode = {
  SEND_MESSAGE: 10,
  PULL_MESSAGE: 11,
  QUERY_MESSAGE: 12,
  QUERY_CONSUMER_OFFSET: 14,
  UPDATE_CONSUMER_OFFSET: 15,
  UPDATE_AND_CREATE_TOPIC: 17,
  SEARCH_OFFSET_BY_TIMESTAMP: 29,
  GET_MAX_OFFSET: 30,
  GET_MIN_OFFSET: 31,
  GET_EARLIEST_MSG_STORETIME: 32,
  VIEW_MESSAGE_BY_ID: 33,
  HEART_BEAT: 34,
  UNREGISTER_CLIENT: 35,
  CONSUMER_SEND_MSG_BACK: 36,
  END_TRANSACTION: 37,
  GET_CONSUMER_LIST_BY_GROUP: 38,
  CHECK_TRANSACTION_STATE: 39,
  NOTIFY_CONSUMER_IDS_CHANGED: 40,
  LOCK_BATCH_MQ: 41,
  UNLOCK_BATCH_MQ: 42,
  CHECK_CLIENT_CONFIG: 46,
  REGISTER_BROKER: 103,
  UNREGISTER_BROKER: 104,
  GET_ROUTEINFO_BY_TOPIC: 105,
  GET_BROKER_CLUSTER_INFO: 106,
  GET_CONSUMER_CONNECTION_LIST: 203,
  RESET_CONSUMER_CLIENT_OFFSET: 220,
  GET_CONSUMER_STATUS_FROM_CLIENT: 221,
  GET_CONSUMER_RUNNING_INFO: 307,
  CONSUME_MESSAGE_DIRECTLY: 309,
  SEND_MESSAGE_V2: 310,
  SEND_BATCH_MESSAGE: 320,
  LITE_PULL_MESSAGE: 361,
  RECALL_MESSAGE: 370,
} as const;

/** Response codes (a response's `code`); 0-4 are RemotingSysResponseCode. */
export const ResponseCode = {
  SUCCESS: 0,
  SYSTEM_ERROR: 1,
  SYSTEM_BUSY: 2,
  REQUEST_CODE_NOT_SUPPORTED: 3,
  TRANSACTION_FAILED: 4,
  FLUSH_DISK_TIMEOUT: 10,
  SLAVE_NOT_AVAILABLE: 11,
  FLUSH_SLAVE_TIMEOUT: 12,
  MESSAGE_ILLEGAL: 13,
  SERVICE_NOT_AVAILABLE: 14,
  VERSION_NOT_SUPPORTED: 15,
  NO_PERMISSION: 16,
  TOPIC_NOT_EXIST: 17,
  TOPIC_EXIST_ALREADY: 18,
  PULL_NOT_FOUND: 19,
  PULL_RETRY_IMMEDIATELY: 20,
  PULL_OFFSET_MOVED: 21,
  QUERY_NOT_FOUND: 22,
  SUBSCRIPTION_PARSE_FAILED: 23,
  SUBSCRIPTION_NOT_EXIST: 24,
  SUBSCRIPTION_NOT_LATEST: 25,
  SUBSCRIPTION_GROUP_NOT_EXIST: 26,
  FILTER_DATA_NOT_EXIST: 27,
  FILTER_DATA_NOT_LATEST: 28,
  INVALID_PARAMETER: 29,
  TRANSACTION_SHOULD_COMMIT: 200,
  TRANSACTION_SHOULD_ROLLBACK: 201,
  TRANSACTION_STATE_UNKNOW: 202,
  TRANSACTION_STATE_GROUP_WRONG: 203,
  NO_BUYER_ID: 204,
  NOT_IN_CURRENT_UNIT: 205,
  CONSUMER_NOT_ONLINE: 206,
  CONSUME_MSG_TIMEOUT: 207,
  NO_MESSAGE: 208,
  POLLING_FULL: 209,
  POLLING_TIMEOUT: 210,
  BROKER_NOT_EXIST: 211,
  BROKER_DISPATCH_NOT_COMPLETE: 212,
  BROADCAST_CONSUMPTION: 213,
  FLOW_CONTROL: 215,
  NOT_LEADER_FOR_QUEUE: 501,
  ILLEGAL_OPERATION: 604,
  GO_AWAY: 1500,
} as const;

/**
 * LanguageCode: JSON headers carry the name, binary headers the byte. 12 and 13 exist only in
 * RocketMQ 5.x; older Java brokers decode them as null, which is why requests default to JAVA.
 */
export const LanguageCode = {
  JAVA: 0,
  CPP: 1,
  DOTNET: 2,
  PYTHON: 3,
  DELPHI: 4,
  ERLANG: 5,
  RUBY: 6,
  OTHER: 7,
  HTTP: 8,
  GO: 9,
  PHP: 10,
  OMS: 11,
  RUST: 12,
  NODE_JS: 13,
} as const;

export type LanguageName = keyof typeof LanguageCode;

const LANGUAGE_BY_BYTE: string[] = [];
for (const [name, byte] of Object.entries(LanguageCode)) LANGUAGE_BY_BYTE[byte] = name;

/** The byte of a language name; names this table does not know travel as OTHER (7). */
export function languageToByte(name: string): number {
  return Object.prototype.hasOwnProperty.call(LanguageCode, name) ? LanguageCode[name as LanguageName] : LanguageCode.OTHER;
}

/** The name of a language byte; unknown bytes read as OTHER (Java reads them as null). */
export function languageFromByte(byte: number): string {
  return LANGUAGE_BY_BYTE[byte] ?? 'OTHER';
}

/** Bits of a command's `flag`: RPC_TYPE (bit 0) marks a response, RPC_ONEWAY (bit 1) a request that gets none. */
export const RemotingFlag = { RESPONSE: 1, ONEWAY: 2 } as const;

/** The header encoding, in the top byte of the frame's second int. */
export const SerializeTypeCode = { JSON: 0, ROCKETMQ: 1 } as const;

/** MessageSysFlag: a stored message's `sysFlag` bits. Compression type lives in bits 8-10 (0 and 3 mean zlib). */
export const MessageSysFlag = {
  COMPRESSED: 0x1,
  MULTI_TAGS: 0x2,
  TRANSACTION_PREPARED: 0x4,
  TRANSACTION_COMMIT: 0x8,
  TRANSACTION_ROLLBACK: 0xc,
  BORNHOST_V6: 0x10,
  STOREHOST_V6: 0x20,
  NEED_UNWRAP: 0x40,
  INNER_BATCH: 0x80,
  COMPRESSION_LZ4: 0x100,
  COMPRESSION_ZSTD: 0x200,
  COMPRESSION_ZLIB: 0x300,
  COMPRESSION_TYPE_MASK: 0x700,
} as const;

/** PullSysFlag: the `sysFlag` of a PULL_MESSAGE request. */
export const PullSysFlag = { COMMIT_OFFSET: 0x1, SUSPEND: 0x2, SUBSCRIPTION: 0x4, CLASS_FILTER: 0x8, LITE_PULL: 0x10 } as const;

/** MQVersion ordinals that change broker/namesrv behaviour (clients send theirs in `version`). */
export const MQVersion = { V3_4_9: 121, V4_5_1: 315, V4_9_4: 401, V5_3_3: 479 } as const;
