export { Perm, type Needed, type PermName, grants, parsePerm, permName } from './permission';
export { type AddressMatcher, addressMatcher, anyAddress } from './remote-address';
export { type AclAccount, type AclAccountView, type AclConfig, AclFileError, MIN_KEY_LENGTH, describeAcl, parsePlainAcl } from './plain-acl-file';
export { ACL_FILE_POLL_MS, type AclReloadEvents, loadAclFile, watchAclFile } from './acl-file';
export { type V2Authorization, parseV2Authorization, parseV2DateTime, remotingSignature, remotingSignedContent, sameSignature, v2Signature } from './signature';
export { type AccessRequest, AccessValidator, type ResourceNeed } from './access-validator';
export { type AclGuard, type AclGuardOptions, type GrpcCallLike, answerCallRefusal, createAclGuard, remotingResources, v2Resources } from './acl-guard';
export {
  FAILURE_DELAY_ANSWERS_PER_TURN,
  FAILURE_DELAY_DEADLINE_SHARE,
  FAILURE_DELAY_MAX_TRACKED_ADDRESSES,
  FAILURE_DELAY_MAX_WAIT_MS,
  FailureDelay,
  type FailureDelayOptions,
  type FailureDelayStats,
} from './failure-delay';
export {
  type ConnectionBrake,
  FAILING_CONNECTIONS_ACCEPTED_MEMORY_MS,
  FAILING_CONNECTIONS_IP_MEMORY_MS,
  FAILING_CONNECTIONS_MAX_TRACKED,
  FailingConnections,
} from './failing-connections';
