import { crc32 } from 'node:zlib';
import type { CommitLog } from './commit-log';
import { StorageError, StorageErrorCode, assertSafeOffset } from './errors';

/**
 * CRC32 of the raw log bytes just below `endOffset`, so a master and a replica can tell cheaply
 * whether their logs agree up to there (not record-aligned: any byte differing changes it).
 *
 *   fromOffset = max(dataEnd - maxBytes, start of the segment holding byte endOffset - 1, minOffset)
 *   crc32      = crc32(bytes [fromOffset, dataEnd))
 *
 * dataEnd is endOffset (so fromOffset = max(endOffset - maxBytes, ...)), except when endOffset is a segment start: then the segment before it
 * ended with an end-of-segment marker, and its file (written by the writer or a replica alike)
 * stops right after the marker's 8 bytes; the rest of that segment never exists on disk, and
 * readRaw never delivers it. So dataEnd is that file's end, the marker's end. An endOffset inside
 * the unwritten space after a marker is refused. Empty range (endOffset <= minOffset): crc32 0.
 */
export async function tailDigest(log: CommitLog, endOffset: number, maxBytes: number): Promise<{ fromOffset: number; crc32: number }> {
  assertSafeOffset(endOffset, 'endOffset');
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) illegal(`maxBytes must be a positive safe integer, got ${maxBytes}`);
  if (endOffset > log.endOffset) illegal(`endOffset ${endOffset} is past the log end ${log.endOffset}`);
  const minOffset = log.minOffset;
  if (endOffset <= minOffset) return { fromOffset: endOffset, crc32: 0 };
  const segmentStart = log.segmentStartOf(endOffset - 1);
  let dataEnd = endOffset;
  if (endOffset % log.segmentSizeBytes === 0) {
    const fileEnd = await log.segmentDataEnd(segmentStart);
    if (fileEnd === undefined) illegal(`no segment at ${segmentStart}`);
    dataEnd = Math.min(fileEnd, endOffset);
  }
  const fromOffset = Math.max(dataEnd - maxBytes, segmentStart, minOffset);
  if (dataEnd <= fromOffset) return { fromOffset, crc32: 0 };
  const buf = Buffer.allocUnsafe(dataEnd - fromOffset);
  const n = await log.readInto(buf, fromOffset, buf.length);
  if (n < buf.length) illegal(`bytes [${fromOffset}, ${dataEnd}) are not all on disk (got ${n}): endOffset ${endOffset} lies past an end-of-segment marker`);
  return { fromOffset, crc32: crc32(buf) >>> 0 };
}

function illegal(message: string): never {
  throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, message);
}
