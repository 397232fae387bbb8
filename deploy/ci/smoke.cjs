// Container smoke test with the official Node client against the 2m-2s-sync compose layout:
// SQL92 consumption through the filter-server containers (scaled 2 -> 3), the broker-a master
// container SIGKILLed, the rest consumed from its replica. Run by deploy/ci/containers.sh.
//   node deploy/ci/smoke.cjs <compose-file> [port-offset]   (the file's ports moved by the offset)
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const { Producer, SimpleConsumer, FilterExpression } = require('rocketmq-client-nodejs');
const { FilterType } = require('rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb');

const composeFile = process.argv[2];
const root = path.resolve(__dirname, '../..');
const PORT_OFFSET = Number(process.argv[3] ?? 0);
const at = (port) => `127.0.0.1:${port + PORT_OFFSET}`;
const NAMESRV = `${at(9876)};${at(9877)}`;
const MASTER_A = at(8081);
const REPLICA_A = at(8091);
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const TOTAL = 200; // n = i % 10; the consumers select n < 5: 100 match

const compose = (...args) => execFileSync('docker-compose', ['-f', composeFile, ...args], { stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const clusterInfo = () =>
  JSON.parse(execFileSync(process.execPath, [path.join(root, 'tools/mqadmin/dist/src/main.js'), 'clusterList', '-n', NAMESRV, '--json']).toString());

async function eventually(what, check, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function consumer(endpoints) {
  return new SimpleConsumer({
    namespace: '',
    endpoints,
    consumerGroup: 'ContainerSql',
    logger: quiet,
    awaitDuration: 2_000,
    subscriptions: new Map([['ContainerTopic', new FilterExpression('n < 5', FilterType.SQL)]]),
  });
}

async function receive(c, count, got) {
  const until = Date.now() + 90_000;
  while (got.size < count && Date.now() < until) {
    for (const v of await c.receive(32, 30_000)) {
      got.add(v.body.toString());
      await c.ack(v);
    }
  }
}

async function main() {
  const filterServers = (n) => () => Promise.resolve(clusterInfo()[0]?.brokers.every((b) => b.filterServerEndpoints.length === n));
  await eventually('4 brokers, each with 2 filter servers', async () => clusterInfo()[0]?.brokers.length === 4 && filterServers(2)());
  const first = consumer(MASTER_A);
  await first.startup(); // the group starts now: before the messages
  const p = new Producer({ namespace: '', endpoints: MASTER_A, logger: quiet });
  await p.startup();
  for (let i = 0; i < TOTAL; i++) await p.send({ topic: 'ContainerTopic', properties: new Map([['n', String(i % 10)]]), body: Buffer.from(`m-${i}`) });
  await p.shutdown();
  const got = new Set();
  await receive(first, 40, got);
  await first.shutdown();
  console.log(`received ${got.size} through 2 filter servers`);

  // Only the filter servers (--no-deps): compose would otherwise check every dependency's health
  // again and refuse the whole command if one check happened to time out just then.
  compose('up', '-d', '--no-deps', '--scale', 'filter-server=3', 'filter-server');
  await eventually('every broker has 3 filter servers', filterServers(3));
  const master = execFileSync('docker-compose', ['-f', composeFile, 'ps', '-q', 'broker-a']).toString().trim();
  execFileSync('docker', ['kill', '-s', 'KILL', master]);
  // Connect only once the master is gone: the client handles a refused connection, but one that
  // drops mid-stream is an unhandled 'error' event on its Telemetry stream (client 1.0.8).
  await eventually('the broker-a master exited', async () => execFileSync('docker', ['inspect', '-f', '{{.State.Status}}', master]).toString().trim() === 'exited');
  await eventually(`port ${MASTER_A} closed`, () => new Promise((resolve) => {
    const s = net.connect(8081 + PORT_OFFSET, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(false); });
    s.once('error', () => resolve(true));
  }));
  const rest = consumer(REPLICA_A); // broker-a's replica
  await rest.startup();
  await receive(rest, TOTAL / 2, got);
  await rest.shutdown();
  const want = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % 10 < 5).map((i) => `m-${i}`);
  assert.deepEqual([...got].sort(), want.sort(), 'every matching message, nothing else');
  console.log(`received all ${got.size} matching messages, none unfiltered, the rest after SIGKILL of broker-a through its replica`);
}

// rocketmq-client-nodejs 1.0.8 emits a Telemetry stream's failure (UNAVAILABLE, when a broker it
// streamed to goes away) as an 'error' event nobody listens to, which would end this process; the
// client reconnects by itself, so such an error is logged and the assertions decide.
process.on('uncaughtException', (err) => {
  if (err && err.code === 14) return console.log(`ignored client stream error: ${err.message}`);
  console.error(err.stack ?? err);
  process.exit(1);
});

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err.stack ?? err);
    process.exit(1);
  },
);
