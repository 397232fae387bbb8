/**
 * @orbitmq/protocol — wire contracts: RocketMQ's apache.rocketmq.v2 (loaded from the official
 * client package's own .proto files), our orbitmq.v1 internal services (proto/), generated types
 * checked in beside them, and the one error table.
 */
export { LOADER_OPTIONS, ORBITMQ_PROTO_DIR, ROCKETMQ_PROTO_DIR, orbitmqV1, reflectionPackage, rocketmqV2 } from './loader';
export {
  ERROR_TABLE,
  ERROR_CODE_METADATA_KEY,
  OrbitError,
  errorSpec,
  isErrorCode,
  remotingResponseCode,
  toOrbitError,
  type ErrorCode,
  type ErrorSpec,
} from './error-table';
export { NAME_PATTERN, MAX_TOPIC_LENGTH, MAX_GROUP_LENGTH, checkTopicName, checkGroupName, checkClusterOrBrokerName, checkEndpoint } from './names';
export * as v1 from './generated/orbitmq-v1';
export * as v2 from './generated/rocketmq-v2';
export { fastClientDefinition, fastServerDefinition, wireCodecs } from './wire/fast-service';
export { ProtoReader } from './wire/proto-reader';
export { ProtoWriter } from './wire/proto-writer';
export { readMessage, writeMessage, type DecodedMessage, type InvalidUtf8Field } from './wire/message-codec';
export { compileStringPlans, type StringPlan } from './wire/string-plan';
export { assertDecoded, findInvalidUtf8, undecodableError, undecodableRequest, type Utf8Finding } from './wire/utf8-check';
export {
  type DecodedProperties,
  type SystemProps,
  SystemProp,
  decodeProperties,
  encodeProperties,
  readSystemProperty,
  readUserProperty,
  MessageHeadView,
  UserPropertyReader,
} from './record-properties';
export { pollFiles } from './file-poll';
