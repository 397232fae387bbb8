/** TopicRates: messages/s from successive counts, without a rate where one would mislead. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TopicRates } from '../src/topic-rates';

test('a rate from the previous count; counts closer than a second keep the older one; a count that fell starts over', () => {
  let now = 0;
  const rates = new TopicRates({ maxTopics: 10, maxAgeMs: 60_000, nowMs: () => now });
  assert.equal(rates.observe('T', 100), undefined, 'the first count gives no rate');
  now = 10_000;
  assert.equal(rates.observe('T', 600), 50);
  now = 10_500;
  assert.equal(rates.observe('T', 700), 50, 'half a second later: the last rate, the older sample kept');
  now = 12_000;
  assert.equal(rates.observe('T', 800), 100, '(800 - 600) over the 2 s since the kept sample');
  now = 13_000;
  assert.equal(rates.observe('T', 5), undefined, 'deleted and made again: no negative rate');
  now = 100_000;
  assert.equal(rates.observe('T', 10), undefined, 'a count older than maxAgeMs gives none');
});

test('only maxTopics counts are kept, the least recently seen dropped first', () => {
  let now = 0;
  const rates = new TopicRates({ maxTopics: 2, maxAgeMs: 60_000, nowMs: () => now });
  rates.observe('A', 0);
  rates.observe('B', 0);
  rates.observe('C', 0);
  now = 2_000;
  assert.equal(rates.observe('A', 10), undefined, 'A was dropped');
  assert.equal(rates.observe('C', 10), 5);
});
