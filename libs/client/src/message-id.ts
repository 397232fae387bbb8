import { randomBytes } from 'node:crypto';

/**
 * Message ids in the official clients' shape (34 uppercase hex chars: version 01, 6 random bytes
 * in place of the MAC, pid, seconds since 2021-01-01, sequence), made without per-message
 * randomness: a fixed per-process prefix and a counter.
 */
const EPOCH_2021_MS = Date.UTC(2021, 0, 1);
const PREFIX = `01${randomBytes(6).toString('hex')}${(process.pid & 0xffff).toString(16).padStart(4, '0')}`.toUpperCase();
let sequence = 0;

export function nextMessageId(nowMs = Date.now()): string {
  sequence = (sequence + 1) >>> 0;
  const seconds = Math.floor((nowMs - EPOCH_2021_MS) / 1000) >>> 0;
  return `${PREFIX}${seconds.toString(16).padStart(8, '0')}${sequence.toString(16).padStart(8, '0')}`.toUpperCase();
}
