import { OrbitError } from '@orbitmq/protocol';
import { type AccessRequest, AccessValidator, type ResourceNeed } from './access-validator';
import { type ConnectionBrake, FailingConnections } from './failing-connections';
import { FailureDelay, type FailureDelayOptions, type FailureDelayStats } from './failure-delay';
import type { Needed } from './permission';
import { type AclConfig, describeAcl } from './plain-acl-file';
import { parseV2Authorization, parseV2DateTime, remotingSignature, remotingSignedContent, sameSignature, v2Signature } from './signature';

/** gRPC metadata as grpc-js exposes it (only `get` is used). */
export interface MetadataLike {
  get(key: string): (string | Buffer)[];
}

/** A remoting request as @orbitmq/remoting decodes it (structural: acl does not depend on it). */
export interface RemotingRequestLike {
  code: number;
  extFields: Readonly<Record<string, string>>;
  body?: Buffer;
}

export interface AclGuardOptions {
  /** How far a v5 request's x-mq-date-time may be from the broker's clock (both ways). */
  maxClockSkewMs: number;
  /** Refusals for bad credentials past a few per IP wait before they are answered (see FailureDelay). */
  failureDelay?: Omit<FailureDelayOptions, 'nowMs'>;
  /** A connection that does nothing but fail past its IP's free failures is read at this rate (0 or absent: never braked; see FailingConnections). */
  brakedConnectionCallsPerSecond?: number;
  nowMs?: () => number;
}

/**
 * The broker's ACL at its two doors: v5 gRPC requests by method, 4.x remoting requests by code,
 * admin calls. Each check throws OrbitError UNAUTHORIZED or FORBIDDEN (see AccessValidator).
 */
export interface AclGuard {
  checkV2(method: string, request: unknown, metadata: MetadataLike, peer: string): void;
  checkRemoting(request: RemotingRequestLike, remoteAddress: string): void;
  checkAdmin(metadata: MetadataLike, peer: string): void;
  /**
   * Delivers a check's refusal through `answer`: at once, or later when `peer`'s IP keeps failing
   * authentication (UNAUTHORIZED only; FORBIDDEN comes from a valid account and is answered at once).
   * Returns `withdraw`, to call when the caller goes away first. A held refusal is answered before
   * `callerDeadline` (a gRPC call's getDeadline(): a Date, or epoch ms, Infinity for none; see FailureDelay.refuse).
   */
  answerRefusal(error: unknown, peer: string, answer: () => void, callerDeadline?: Date | number): () => void;
  stats(): FailureDelayStats;
  /**
   * Where to brake connections that do nothing but fail authentication past their IP's free
   * failures (see FailingConnections): read at brakedConnectionCallsPerSecond until a call on them is accepted.
   */
  brakeConnectionsWith(brake: ConnectionBrake): void;
  /**
   * For a new connection from `peer`: braked from its first call when its IP's refusals are paced
   * now or it had a connection braked in the last minute (a good client's first accepted call
   * releases it). Undefined: read freely.
   */
  brakeAtConnect(peer: string): { callsPerSecond: number } | undefined;
  /**
   * A call on `peer` proved itself without the ACL (the cluster credential of a replica or filter
   * server): its connection counts as accepted, so a brake at connect is released as by a passed check.
   */
  vouch(peer: string): void;
  replace(config: AclConfig): void;
  /** The accounts in force, without secrets. */
  describe(): ReturnType<typeof describeAcl>;
}

/** A gRPC server call as answerCallRefusal needs it (structural: acl does not depend on grpc-js). */
export interface GrpcCallLike {
  getPeer(): string;
  getDeadline(): Date | number;
  once(event: 'cancelled', listener: () => void): unknown;
}

/**
 * answerRefusal for a gRPC call: a held refusal is answered before the call's deadline and
 * withdrawn if the call is cancelled first.
 */
export function answerCallRefusal(acl: AclGuard, error: unknown, call: GrpcCallLike, answer: () => void): void {
  call.once('cancelled', acl.answerRefusal(error, call.getPeer(), answer, call.getDeadline()));
}

export function createAclGuard(config: AclConfig, options: AclGuardOptions): AclGuard {
  const validator = new AccessValidator(config);
  const nowMs = options.nowMs ?? Date.now;
  let current = config;
  const delay = new FailureDelay({ windowMs: 10_000, freeFailures: 10, refusalsPerSecond: 0, maxHeld: 0, ...options.failureDelay, nowMs });
  const brakeRate = options.brakedConnectionCallsPerSecond ?? 0;
  const connections = new FailingConnections(nowMs);
  /** Validates, and tells the connection's brake of a pass (a refusal throws past it). */
  const validate = (request: AccessRequest, peer: string): void => {
    validator.validate(request);
    connections.accepted(peer);
  };
  return {
    checkV2: (method, request, metadata, peer) =>
      validate({ remoteIp: ipOf(peer), credentials: v2Credentials(metadata, options.maxClockSkewMs, nowMs), resources: v2Resources(method, request) }, peer),
    checkRemoting: (request, remoteAddress) =>
      validate({ remoteIp: ipOf(remoteAddress), credentials: remotingCredentials(request), resources: remotingResources(request) }, remoteAddress),
    checkAdmin: (metadata, peer) =>
      validate({ remoteIp: ipOf(peer), credentials: v2Credentials(metadata, options.maxClockSkewMs, nowMs), resources: [], adminOnly: true }, peer),
    answerRefusal: (error, peer, answer, callerDeadline) => {
      if (error instanceof OrbitError && error.code === 'UNAUTHORIZED') {
        const ip = ipOf(peer);
        const withdraw = delay.refuse(ip, answer, callerDeadline instanceof Date ? callerDeadline.getTime() : callerDeadline);
        connections.refused(peer, ip, delay.pastFreeFailures(ip), brakeRate);
        return withdraw;
      }
      answer();
      return () => undefined;
    },
    stats: () => delay.stats(),
    // Braking off: no brake, so accepted calls are not tracked either.
    brakeConnectionsWith: (brake) => void (brakeRate > 0 && connections.brakeWith(brake)),
    brakeAtConnect: (peer) => {
      const ip = ipOf(peer);
      return brakeRate > 0 && connections.brakeAtConnect(peer, ip, delay.pastFreeFailures(ip)) ? { callsPerSecond: brakeRate } : undefined;
    },
    vouch: (peer) => connections.accepted(peer),
    replace: (c) => {
      current = c;
      validator.replace(c);
    },
    describe: () => describeAcl(current),
  };
}

function first(metadata: MetadataLike, key: string): string {
  const v = metadata.get(key)[0];
  return v === undefined ? '' : String(v);
}

/** The v5 credentials: the authorization header, checked against the signed time's window. */
function v2Credentials(metadata: MetadataLike, maxSkewMs: number, nowMs: () => number): AccessRequest['credentials'] {
  const header = first(metadata, 'authorization');
  if (!header) return undefined;
  const auth = parseV2Authorization(header);
  const dateTime = first(metadata, 'x-mq-date-time');
  const atMs = parseV2DateTime(dateTime);
  const problem = v2Problem(auth !== undefined, dateTime, atMs, maxSkewMs, nowMs);
  return {
    accessKey: auth?.accessKey ?? '',
    signatureMatches: (secretKey) => !problem && auth !== undefined && sameSignature(auth.signature, v2Signature(secretKey, dateTime)),
    ...(problem ? { problem } : {}),
  };
}

/** Why v5 credentials cannot be checked: a time outside the window first, then a malformed header or time. */
function v2Problem(parsed: boolean, dateTime: string, atMs: number | undefined, maxSkewMs: number, nowMs: () => number): string | undefined {
  if (atMs !== undefined && Math.abs(nowMs() - atMs) > maxSkewMs) {
    return `x-mq-date-time ${dateTime} is more than ${Math.round(maxSkewMs / 1000)} s from the broker's clock (replayed, or a skewed clock)`;
  }
  if (!parsed) return 'the authorization header is not MQv2-HMAC-SHA1 Credential=..., SignedHeaders=..., Signature=...';
  if (atMs === undefined) return `x-mq-date-time '${dateTime.slice(0, 32)}' is not yyyyMMddTHHmmssZ`;
  return undefined;
}

const topic = (name: string | undefined, need: Needed): ResourceNeed => ({ kind: 'topic', name: name ?? '', need });
const group = (name: string | undefined, need: Needed): ResourceNeed => ({ kind: 'group', name: name ?? '', need });

interface V2Shape {
  topic?: { name?: string };
  group?: { name?: string };
  messageQueue?: { topic?: { name?: string } };
  messages?: { topic?: { name?: string } }[];
}

/** What each v5 RPC touches (RocketMQ's proxy: GrpcClientChannel authorization by request). */
export function v2Resources(method: string, request: unknown): ResourceNeed[] {
  const r = (request ?? {}) as V2Shape;
  const g = r.group?.name;
  const queueTopic = r.messageQueue?.topic?.name;
  switch (method) {
    case 'QueryRoute':
      return [topic(r.topic?.name, 'ANY')];
    case 'SendMessage':
      return (r.messages ?? []).map((m) => topic(m.topic?.name, 'PUB'));
    case 'EndTransaction':
      return [topic(r.topic?.name, 'PUB')];
    case 'QueryAssignment':
    case 'AckMessage':
    case 'ChangeInvisibleDuration':
    case 'ForwardMessageToDeadLetterQueue':
      return [topic(r.topic?.name, 'SUB'), group(g, 'SUB')];
    case 'ReceiveMessage':
    case 'PullMessage':
    case 'UpdateOffset':
    case 'GetOffset':
    case 'QueryOffset':
      return [topic(queueTopic, 'SUB'), group(g, 'SUB')];
    case 'Heartbeat':
    case 'NotifyClientTermination':
      return g ? [group(g, 'SUB')] : [];
    default:
      return []; // Telemetry and the rest: who, not what
  }
}

function remotingCredentials(request: RemotingRequestLike): AccessRequest['credentials'] {
  const accessKey = request.extFields.AccessKey;
  const signature = request.extFields.Signature;
  if (!accessKey) return undefined;
  return {
    accessKey,
    signatureMatches: (secretKey) =>
      signature !== undefined && sameSignature(signature, remotingSignature(secretKey, remotingSignedContent(request.extFields, request.body))),
  };
}

/** Request codes and what they touch (RocketMQ 4.x PlainAccessValidator.parse). */
export function remotingResources(request: RemotingRequestLike): ResourceNeed[] {
  const f = request.extFields;
  switch (request.code) {
    case 10: // SEND_MESSAGE
      return [topic(f.topic, 'PUB')];
    case 310: // SEND_MESSAGE_V2 (fields by letter)
    case 320: // SEND_BATCH_MESSAGE
      return [topic(f.b ?? f.topic, 'PUB')];
    case 11: // PULL_MESSAGE
    case 14: // QUERY_CONSUMER_OFFSET
    case 15: // UPDATE_CONSUMER_OFFSET
      return [topic(f.topic, 'SUB'), group(f.consumerGroup, 'SUB')];
    case 12: // QUERY_MESSAGE
      return [topic(f.topic, 'SUB')];
    case 36: // CONSUMER_SEND_MSG_BACK: the group's retry topic
      return [group(f.group, 'SUB')];
    case 35: // UNREGISTER_CLIENT
    case 38: // GET_CONSUMER_LIST_BY_GROUP
      return [group(f.consumerGroup, 'SUB')];
    case 34: // HEART_BEAT: the consumer groups and what they subscribe to
      return heartbeatResources(request.body);
    case 41: // LOCK_BATCH_MQ
    case 42: // UNLOCK_BATCH_MQ
      return lockResources(request.body);
    default:
      return [];
  }
}

function jsonBody(body: Buffer | undefined): Record<string, unknown> | undefined {
  if (!body || body.length === 0) return undefined;
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // the processor answers a malformed body; the credentials were still checked
  }
}

function heartbeatResources(body: Buffer | undefined): ResourceNeed[] {
  const consumers = jsonBody(body)?.consumerDataSet;
  if (!Array.isArray(consumers)) return [];
  const out: ResourceNeed[] = [];
  for (const c of consumers as { groupName?: string; subscriptionDataSet?: { topic?: string }[] }[]) {
    out.push(group(c.groupName, 'SUB'));
    for (const s of c.subscriptionDataSet ?? []) out.push(topic(s.topic, 'SUB'));
  }
  return out;
}

function lockResources(body: Buffer | undefined): ResourceNeed[] {
  const g = jsonBody(body)?.consumerGroup;
  return typeof g === 'string' ? [group(g, 'SUB')] : [];
}

/**
 * The IP of a peer: "1.2.3.4:5678", "[::1]:5678", "ipv4:1.2.3.4:5678", and grpc-js's call.getPeer()
 * and remoting's remoteAddress, which join an IPv6 address and its port without brackets
 * ("::1:5678"): both always end in the port, so the last ":digits" is the port. A bare IPv4
 * address (no colon) is returned as it is.
 */
export function ipOf(address: string): string {
  const a = address.startsWith('ipv4:') || address.startsWith('ipv6:') ? address.slice(5) : address;
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']'));
  const colon = a.lastIndexOf(':');
  return colon > 0 && PORT_PATTERN.test(a.slice(colon + 1)) ? a.slice(0, colon) : a;
}

const PORT_PATTERN = /^\d{1,5}$/;
