import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, changedDefaults, envName, loadConfig, type ConfigSchema } from '../src';

const schema = {
  brokerName: { kind: 'string', default: 'broker-a', describe: 'broker name', nonEmpty: true },
  listenPort: { kind: 'int', default: 10911, min: 0, max: 65535, describe: 'port' },
  autoCreateTopicEnable: { kind: 'bool', default: false, describe: 'auto-create topics' },
  flushDiskType: { kind: 'enum', default: 'ASYNC_FLUSH', choices: ['ASYNC_FLUSH', 'SYNC_FLUSH'], describe: 'flush' },
  namesrvAddr: { kind: 'list', default: [], separator: ';', describe: 'name servers', env: ['NAMESRV_ADDR'], alias: 'n' },
  fileReservedTime: { kind: 'int', default: 72, min: 0, max: 100_000, describe: 'hours' },
} as const satisfies ConfigSchema;

const FIXTURE = path.join(__dirname, '../../test/fixtures/broker-a.properties');

test('defaults < properties file < environment < flags', () => {
  const fromFile = loadConfig('t', schema, ['-c', FIXTURE], {});
  assert.equal(fromFile.values.brokerName, 'broker-a');
  assert.equal(fromFile.values.fileReservedTime, 120);
  assert.equal(fromFile.values.autoCreateTopicEnable, true);
  assert.deepEqual(fromFile.values.namesrvAddr, ['192.168.116.128:9876', '192.168.116.132:9876']);
  assert.equal(fromFile.sources.fileReservedTime, 'file');
  const withEnv = loadConfig('t', schema, ['-c', FIXTURE], { [envName('fileReservedTime')]: '24', NAMESRV_ADDR: '10.0.0.1:9876' });
  assert.equal(withEnv.values.fileReservedTime, 24);
  assert.deepEqual(withEnv.values.namesrvAddr, ['10.0.0.1:9876']);
  const withFlag = loadConfig('t', schema, ['-c', FIXTURE, '--fileReservedTime', '6', '-n', 'a:1;b:2'], { ORBITMQ_FILE_RESERVED_TIME: '24' });
  assert.equal(withFlag.values.fileReservedTime, 6);
  assert.equal(withFlag.sources.fileReservedTime, 'flag');
  assert.deepEqual(withFlag.values.namesrvAddr, ['a:1', 'b:2']);
  const none = loadConfig('t', schema, [], {});
  assert.equal(none.values.listenPort, 10911);
  assert.equal(none.sources.listenPort, 'default');
});

test('unknown keys in the file are warnings naming the key', () => {
  const loaded = loadConfig('t', schema, ['-c', FIXTURE], {});
  assert.ok(
    loaded.warnings.some((w) => w.includes("'checkTransactionMessageEnable'")),
    loaded.warnings.join('\n'),
  );
  assert.ok(loaded.warnings.some((w) => w.includes("'mappedFileSizeCommitLog'")));
});

test('invalid values are one-line errors naming key and value', () => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['--listenPort', '70000'], {}, /^invalid value for listenPort: '70000' \(expected an integer from 0 to 65535; from flag --listenPort\)$/],
    [['--listenPort', 'abc'], {}, /invalid value for listenPort: 'abc' \(expected an integer/],
    [['--flushDiskType', 'SOMETIMES'], {}, /invalid value for flushDiskType: 'SOMETIMES' \(expected one of ASYNC_FLUSH, SYNC_FLUSH/],
    [['--autoCreateTopicEnable', 'yes'], {}, /invalid value for autoCreateTopicEnable: 'yes' \(expected true or false/],
    [['--brokerName', ''], {}, /invalid value for brokerName: '' \(must not be empty/],
    [[], { ORBITMQ_LISTEN_PORT: '-1' }, /invalid value for listenPort: '-1' .*from environment ORBITMQ_LISTEN_PORT/],
  ];
  for (const [argv, env, re] of cases) {
    assert.throws(
      () => loadConfig('t', schema, argv, env),
      (e: unknown) => e instanceof ConfigError && re.test(e.message) && !e.message.includes('\n'),
      argv.join(' '),
    );
  }
});

test('a bad value in the file names the file and line', () => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'b.properties');
  fs.writeFileSync(f, 'brokerName=x\nlistenPort=99999\n');
  assert.throws(
    () => loadConfig('t', schema, ['-c', f], {}),
    new RegExp(`invalid value for listenPort: '99999' .*from ${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2`),
  );
  assert.throws(() => loadConfig('t', schema, ['-c', '/no/such/file'], {}), /cannot read config file \/no\/such\/file: ENOENT/);
});

test('unknown flags are errors', () => {
  assert.throws(
    () => loadConfig('t', schema, ['--listenPrt', '1'], {}),
    (e: unknown) => e instanceof ConfigError && /listenPrt/.test(e.message),
  );
});

test('changedDefaults: the default of each key whose value differs, as text; secrets masked', () => {
  const withSecret = { ...schema, clusterSecret: { kind: 'string', default: '', describe: 'secret', secret: true } } as const satisfies ConfigSchema;
  const loaded = loadConfig('t', withSecret, ['-c', FIXTURE, '--clusterSecret', 's3cret'], {});
  const changed = changedDefaults(withSecret, loaded.values);
  assert.deepEqual(changed, { fileReservedTime: '72', autoCreateTopicEnable: 'false', namesrvAddr: '', clusterSecret: '' });
  assert.deepEqual(changedDefaults(withSecret, loadConfig('t', withSecret, [], {}).values), {}, 'nothing differs by default');
});
