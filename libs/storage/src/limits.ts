/**
 * Hard limits of the record format and of every queue inside the store. Checked at the public
 * boundary (MessageStore) so that nothing deeper has to guess.
 */
export const Limits = {
  /** Topic names are encoded with a u8 length. RocketMQ allows up to 127 characters. */
  maxTopicBytes: 255,
  /** Client message ids are encoded with a u8 length. */
  maxMessageIdBytes: 255,
  /** The tag is encoded with a u16 length. */
  maxTagBytes: 65_535,
  /** All keys joined by KEY_SEPARATOR, u16 length. */
  maxKeysBytes: 65_535,
  /** Upper bound of the configurable maxRecordBytes (u32 sizes; keep far below). */
  maxRecordBytesCeiling: 256 * 1024 * 1024,
  /** Queue ids are u32 on disk; RocketMQ topics rarely exceed 1024 queues. */
  maxQueueId: 0xffff_ffff,
  /**
   * getMessages: records closer than this in the log are read with one read (the bytes between
   * them are read and dropped), so a queue's run of records costs one read, not one per record.
   */
  maxRangedReadGapBytes: 64 * 1024,
  /** getMessages: the largest single read (records bigger than this still get a read of their own). */
  maxRangedReadBytes: 4 * 1024 * 1024,
  /** Largest LevelDB iterator batch the store asks for in one nextv call. */
  maxIteratorBatch: 1_024,
} as const;

/** Separates several keys of one message inside the record (keys may contain spaces). */
export const KEY_SEPARATOR = '\u0001';
