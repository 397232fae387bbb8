import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TypedEvents } from '../src';

interface Map1 {
  stored: { topic: string; messages: number };
  stopped: { reason: string };
}

test('listeners get their own event payloads; unsubscribe and once work', () => {
  const events = new TypedEvents<Map1>();
  const seen: string[] = [];
  const off = events.on('stored', (e) => seen.push(`${e.topic}:${e.messages}`));
  events.once('stopped', (e) => seen.push(`stopped:${e.reason}`));
  events.emit('stored', { topic: 'T', messages: 3 });
  events.emit('stopped', { reason: 'a' });
  events.emit('stopped', { reason: 'b' });
  off();
  events.emit('stored', { topic: 'T', messages: 4 });
  assert.deepEqual(seen, ['T:3', 'stopped:a']);
  assert.equal(events.listenerCount('stored'), 0);
});
