import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ERROR_TABLE } from '@orbitmq/protocol';
import { OK_STATUS, codeNameOf, statusFromError, statusOf } from '../src/status';

test('a status keeps the error-table name even where RocketMQ codes are shared', () => {
  // 42900, 40000 and 50000 each stand for several names in the table.
  assert.equal(ERROR_TABLE.TOO_MANY_REQUESTS.rocketmqCode, ERROR_TABLE.APPEND_QUEUE_FULL.rocketmqCode);
  assert.equal(codeNameOf(statusOf('TOO_MANY_REQUESTS', 'busy')), 'TOO_MANY_REQUESTS');
  assert.equal(codeNameOf(statusOf('APPEND_QUEUE_FULL', 'queue full')), 'APPEND_QUEUE_FULL');
  assert.equal(codeNameOf(statusOf('BAD_REQUEST', 'bad')), 'BAD_REQUEST');
  assert.equal(codeNameOf(statusOf('INTERNAL_ERROR', 'oops')), 'INTERNAL_ERROR');
  assert.equal(codeNameOf(statusFromError(new Error('unexpected'))), 'INTERNAL_ERROR');
  assert.equal(codeNameOf(OK_STATUS), 'OK');
  assert.equal(codeNameOf(undefined), 'OK');
});

test('the name is invisible to encoders: only code and message are enumerable', () => {
  const s = statusOf('TOO_MANY_REQUESTS', 'busy');
  assert.deepEqual(Object.keys(s), ['code', 'message']);
  assert.equal(JSON.stringify(s), JSON.stringify({ code: 42900, message: 'busy' }));
});
