import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatTable } from '../src/table';

test('tables align columns under #-prefixed headers', () => {
  const out = formatTable(
    ['Cluster Name', 'BID', 'Addr'],
    [
      ['DefaultCluster', 0, '127.0.0.1:8081'],
      ['C', 12, 'h:1'],
    ],
  );
  assert.equal(out, ['#Cluster Name   #BID  #Addr', 'DefaultCluster  0     127.0.0.1:8081', 'C               12    h:1'].join('\n'));
});
