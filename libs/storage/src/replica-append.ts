import { type DispatchRequest, requestFromRecord } from './dispatch';
import { StorageError, StorageErrorCode } from './errors';
import { BLANK_BYTES, peekRecord } from './record-codec';
import { readU64 } from './u64';

/** A run of replicated bytes to write at one log offset, inside one segment. */
export interface ReplicatedChunk {
  logOffset: number;
  bytes: Buffer;
}

function mismatch(message: string): never {
  throw new StorageError(StorageErrorCode.REPLICA_OFFSET_MISMATCH, message);
}

/**
 * Checks a master's bytes before anything is written: whole records with good CRCs, each at the
 * offset it claims, no record crossing a segment end, end-of-segment markers that reach exactly the
 * segment end (the master sends only their 8 bytes; the offset then jumps to the next segment).
 */
export function replicatedChunks(
  bytes: Buffer,
  fromOffset: number,
  segmentSizeBytes: number,
  maxRecordBytes: number,
): { chunks: ReplicatedChunk[]; requests: DispatchRequest[]; endOffset: number } {
  const chunks: ReplicatedChunk[] = [];
  const requests: DispatchRequest[] = [];
  let pos = fromOffset;
  let at = 0;
  let chunkAt = 0;
  let chunkPos = fromOffset;
  while (at < bytes.length) {
    const segEnd = pos - (pos % segmentSizeBytes) + segmentSizeBytes;
    const peek = peekRecord(bytes, at, bytes.length - at, maxRecordBytes);
    if (peek.kind === 'blank') {
      if (pos + peek.totalSize !== segEnd) mismatch(`end-of-segment marker at ${pos} does not reach ${segEnd}`);
      at += BLANK_BYTES;
      chunks.push({ logOffset: chunkPos, bytes: bytes.subarray(chunkAt, at) });
      pos = segEnd;
      chunkAt = at;
      chunkPos = pos;
      continue;
    }
    if (peek.kind !== 'record') mismatch(`replicated bytes at ${pos} are not a whole record (${peek.kind === 'corrupt' ? peek.reason : 'incomplete'})`);
    if (readU64(bytes, at + 28) !== pos) mismatch(`record at ${pos} claims offset ${readU64(bytes, at + 28)}`);
    if (pos + peek.totalSize + BLANK_BYTES > segEnd) mismatch(`record at ${pos} crosses the segment end ${segEnd}`);
    requests.push(requestFromRecord(bytes, at, pos, peek.totalSize));
    at += peek.totalSize;
    pos += peek.totalSize;
  }
  if (at > chunkAt) chunks.push({ logOffset: chunkPos, bytes: bytes.subarray(chunkAt, at) });
  return { chunks, requests, endOffset: pos };
}
