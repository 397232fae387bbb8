import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SystemProp, UserPropertyReader, decodeProperties, encodeProperties, readSystemProperty, readUserProperty } from '../src';

test('lazy property reads find exactly what a full decode finds', () => {
  const block = encodeProperties({ messageGroup: 'g-1', bornHost: 'h' }, { a: '1', é: 'ü', empty: '', long: 'x'.repeat(300) });
  const full = decodeProperties(block);
  for (const [k, v] of Object.entries(full.user)) assert.equal(readUserProperty(block, k), v);
  assert.equal(readUserProperty(block, 'missing'), undefined);
  assert.equal(readUserProperty(block, 'messageGroup'), undefined, 'system properties are not user properties');
  assert.equal(readSystemProperty(block, SystemProp.messageGroup), 'g-1');
  assert.equal(readSystemProperty(block, SystemProp.realTopic), undefined);
  assert.equal(readUserProperty(Buffer.alloc(0), 'a'), undefined);
  assert.equal(readSystemProperty(Buffer.alloc(0), SystemProp.messageGroup), undefined);
});

test('a truncated properties block is an error, never a made-up value', () => {
  const block = encodeProperties({}, { a: '1', b: 'two' });
  assert.throws(() => readUserProperty(block.subarray(0, block.length - 1), 'b'), RangeError);
  assert.throws(() => readUserProperty(block.subarray(0, 5), 'b'), RangeError);
});

test('UserPropertyReader answers like readUserProperty, per block, until reset', () => {
  const reader = new UserPropertyReader();
  const a = encodeProperties({}, { p: 'one', ключ: 'два' });
  const b = encodeProperties({}, { p: 'two' });
  reader.reset(a);
  assert.equal(reader.get('p'), 'one');
  assert.equal(reader.get('p'), 'one');
  assert.equal(reader.get('ключ'), 'два', 'non-ASCII names compare as strings');
  assert.equal(reader.get('q'), undefined);
  reader.reset(b);
  assert.equal(reader.get('p'), 'two', 'nothing carried over from the previous block');
  assert.equal(reader.get('ключ'), undefined);
  reader.reset(b.subarray(0, b.length - 1));
  assert.throws(() => reader.get('p'), RangeError);
});
