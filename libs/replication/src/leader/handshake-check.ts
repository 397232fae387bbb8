import { OrbitError, type v1 } from '@orbitmq/protocol';
import { REPLICATION_PROTOCOL_VERSION } from '../settings';
import type { EpochEntry, FlushDiskType, StateOp } from '../ports';
import { epochsFromWire, parseU64, stateOpsFromWire } from '../wire/convert';

export interface LeaderIdentity {
  clusterName: string;
  brokerName: string;
}

/** A handshake in internal form, checked for identity. */
export interface CheckedHandshake {
  brokerId: number;
  storeId: string;
  masterStoreId: string;
  minOffset: number;
  endOffset: number;
  tailFromOffset: number;
  tailCrc32: number;
  epochs: EpochEntry[];
  flushDiskType: FlushDiskType;
  confirmedOffset: number;
  localState: StateOp[];
  clientEndpoint: string;
}

function mismatch(field: string, replica: string | number, master: string | number): OrbitError {
  return new OrbitError('REPLICA_IDENTITY_MISMATCH', `${field} differs: replica has ${JSON.stringify(replica)}, this master has ${JSON.stringify(master)}`);
}

/** Parses a handshake and checks it belongs to this master; throws the refusal otherwise. */
export function checkHandshake(
  h: v1.FollowHandshake__Output,
  identity: LeaderIdentity,
  ourStore: { storeId: string; segmentSizeBytes: number },
): CheckedHandshake {
  if (h.protocolVersion !== REPLICATION_PROTOCOL_VERSION) {
    throw new OrbitError(
      'BAD_REQUEST',
      `replication protocol version ${h.protocolVersion} is not supported (this master speaks ${REPLICATION_PROTOCOL_VERSION})`,
    );
  }
  const broker = h.broker;
  if (!broker) throw new OrbitError('BAD_REQUEST', 'the handshake names no broker');
  if (broker.clusterName !== identity.clusterName) throw mismatch('clusterName', broker.clusterName, identity.clusterName);
  if (broker.brokerName !== identity.brokerName) throw mismatch('brokerName', broker.brokerName, identity.brokerName);
  if (!(broker.brokerId > 0)) throw new OrbitError('REPLICA_IDENTITY_MISMATCH', `brokerId must be > 0 for a replica, got ${broker.brokerId}`);
  const segmentSizeBytes = parseU64(h.segmentSizeBytes, 'segment_size_bytes');
  if (segmentSizeBytes !== ourStore.segmentSizeBytes) throw mismatch('segmentSizeBytes', segmentSizeBytes, ourStore.segmentSizeBytes);
  if (h.masterStoreId !== '' && h.masterStoreId !== ourStore.storeId) {
    throw new OrbitError(
      'REPLICA_IDENTITY_MISMATCH',
      `replica followed store ${h.masterStoreId}; this master is store ${ourStore.storeId}: wipe the replica's store to reseed`,
    );
  }
  if (h.flushDiskType !== 'ASYNC_FLUSH' && h.flushDiskType !== 'SYNC_FLUSH') {
    throw new OrbitError('BAD_REQUEST', `flush_disk_type must be ASYNC_FLUSH or SYNC_FLUSH, got ${JSON.stringify(h.flushDiskType)}`);
  }
  const minOffset = parseU64(h.minOffset, 'min_offset');
  const endOffset = parseU64(h.endOffset, 'end_offset');
  if (endOffset < minOffset) throw new OrbitError('BAD_REQUEST', `end_offset ${endOffset} is below min_offset ${minOffset}`);
  return {
    brokerId: broker.brokerId,
    storeId: h.storeId,
    masterStoreId: h.masterStoreId,
    minOffset,
    endOffset,
    tailFromOffset: parseU64(h.tailFromOffset, 'tail_from_offset'),
    tailCrc32: h.tailCrc32,
    epochs: epochsFromWire(h.epochs),
    flushDiskType: h.flushDiskType,
    confirmedOffset: parseU64(h.confirmedOffset, 'confirmed_offset'),
    localState: stateOpsFromWire(h.localState),
    clientEndpoint: h.clientEndpoint,
  };
}
