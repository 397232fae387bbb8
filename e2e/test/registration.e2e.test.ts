/**
 * broker -> name server after a name server restart: a real broker (registration period 60 s, the
 * maximum) and a name server that is SIGKILLed and restarted empty on the same port, ten times.
 * Each time the broker must be back in the restarted name server's view long before its next
 * period could explain it: it notices the lost connection and registers again, retrying with
 * back-off until the name server answers.
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { NameServerClients } from '@orbitmq/namesrv-client';
import { NAMESRV_TEST_ARGS, startBroker } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, stopAll, startApp } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';

const RESTARTS = 10;
/** Far below the broker's 60 s period: only the reconnect path can re-register within it. */
const REREGISTER_WITHIN_MS = 30_000;

after(() => stopAll());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function startNamesrvOn(port: number): Promise<AppProcess> {
  const args = [...NAMESRV_TEST_ARGS];
  args[args.indexOf('--listenPort') + 1] = String(port);
  return startApp('namesrv', args);
}

test(`a restarted name server learns the broker again within seconds, ${RESTARTS} times out of ${RESTARTS}`, async (t) => {
  const port = await freePort();
  let namesrv = await startNamesrvOn(port);
  const address = grpcAddress(namesrv);
  const broker = await startBroker(address, { extra: ['--registerNameServerPeriod', '60000'] });
  const raw = new RawV2Client(grpcAddress(broker));
  assert.equal(codeOf((await raw.send([message('ReRegisterTopic', Buffer.from('create the topic'))])).status), 'OK');
  raw.close();
  const lookups = new NameServerClients([address], { deadlineMs: 1_000, retries: 0 });
  const routed = async () => ((await lookups.getRoute('ReRegisterTopic')).queueDatas.length > 0 ? true : undefined);
  await eventually('the topic routed before any restart', routed);
  const tookMs: number[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    await namesrv.kill('SIGKILL');
    namesrv = await startNamesrvOn(port);
    const backAtMs = Date.now();
    await eventually(`the broker registered again after restart ${i + 1}`, routed, REREGISTER_WITHIN_MS);
    tookMs.push(Date.now() - backAtMs);
  }
  lookups.close();
  t.diagnostic(`re-registration after each restart (ms from name server ready to route visible): ${tookMs.join(', ')}`);
  assert.equal(tookMs.length, RESTARTS);
});
