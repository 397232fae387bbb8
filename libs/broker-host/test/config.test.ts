import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '@orbitmq/runtime';
import { BROKER_CONFIG, validateMasterConfig, validateReplicaConfig } from '../src/config';

const SEED = path.join(__dirname, '../../../runtime/test/fixtures/broker-a.properties');

test("a seed's broker.properties (RocketMQ key names) loads and validates", () => {
  const loaded = loadConfig('broker', BROKER_CONFIG, ['-c', SEED], {});
  validateMasterConfig(loaded.values);
  assert.equal(loaded.values.brokerClusterName, 'rocketmq-cluster');
  assert.deepEqual(loaded.values.namesrvAddr, ['192.168.116.128:9876', '192.168.116.132:9876']);
  assert.equal(loaded.values.listenPort, 10911);
  assert.equal(loaded.values.fileReservedTime, 120);
  assert.equal(loaded.values.maxMessageSize, 65536);
  assert.equal(loaded.values.brokerRole, 'ASYNC_MASTER');
  assert.ok(loaded.warnings.some((w) => w.includes('checkTransactionMessageEnable')));
});

test('cross-key checks name the key and the value', () => {
  const base = loadConfig('broker', BROKER_CONFIG, [], {}).values;
  const cases: [Partial<typeof base>, RegExp][] = [
    [{ brokerRole: 'SLAVE' }, /brokerRole: 'SLAVE' .*ha-replicator/],
    [{ brokerId: 1 }, /brokerId: '1'/],
    [{ namesrvAddr: ['nohost'] }, /namesrvAddr: 'nohost'/],
    [{ deleteWhen: '25' }, /deleteWhen: '25'/],
    [{ mappedFileSizeCommitLog: 4 * 1024 * 1024 }, /mappedFileSizeCommitLog/],
    [{ diskSpaceWarningLevelRatio: 70 }, /diskSpaceWarningLevelRatio: '70'/],
  ];
  for (const [over, re] of cases)
    assert.throws(
      () => validateMasterConfig({ ...base, ...over }),
      (e: unknown) => e instanceof ConfigError && re.test(e.message),
      JSON.stringify(over),
    );
});

test('a replica needs brokerRole SLAVE and brokerId > 0; replica-count keys are checked', () => {
  const base = loadConfig('broker', BROKER_CONFIG, [], {}).values;
  validateReplicaConfig({ ...base, brokerRole: 'SLAVE', brokerId: 1 });
  const cases: [Partial<typeof base>, RegExp][] = [
    [{ brokerRole: 'SYNC_MASTER', brokerId: 1 }, /brokerRole: 'SYNC_MASTER'.*SLAVE/],
    [{ brokerRole: 'SLAVE', brokerId: 0 }, /brokerId: '0'/],
    [{ brokerRole: 'SLAVE', brokerId: 1, haMasterAddress: 'nohost' }, /haMasterAddress: 'nohost'/],
    [{ brokerRole: 'SLAVE', brokerId: 1, inSyncReplicas: 3, totalReplicas: 2 }, /inSyncReplicas: '3'/],
  ];
  for (const [over, re] of cases) {
    assert.throws(
      () => validateReplicaConfig({ ...base, ...over }),
      (err: unknown) => err instanceof ConfigError && re.test(err.message),
    );
  }
});
