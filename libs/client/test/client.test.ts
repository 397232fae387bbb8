import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_MESSAGES_PER_SEND, MessagingClient, nextMessageId } from '../src';

test("message ids have the official clients' shape and never repeat", () => {
  const ids = Array.from({ length: 10_000 }, () => nextMessageId());
  for (const id of ids.slice(0, 100)) assert.match(id, /^01[0-9A-F]{32}$/);
  assert.equal(new Set(ids).size, ids.length);
});

test('a send of no messages, or of more than one request may carry, is refused before the wire', async () => {
  const c = new MessagingClient('127.0.0.1:1');
  try {
    await assert.rejects(c.send([]), (e: Error & { code?: string }) => e.code === 'BAD_REQUEST');
    const many = Array.from({ length: MAX_MESSAGES_PER_SEND + 1 }, () => ({ topic: 'T', body: Buffer.alloc(1) }));
    await assert.rejects(c.send(many), (e: Error & { code?: string }) => e.code === 'BAD_REQUEST');
  } finally {
    c.close();
  }
});
