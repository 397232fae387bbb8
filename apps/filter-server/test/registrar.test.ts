import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OrbitError, type v1 } from '@orbitmq/protocol';
import { type RegistrarEvents, Registrar, type RegistryPort, nameServerDiscovery } from '../src/registrar';

/** Fake brokers: each records the calls it got; `down` brokers fail every call. */
class FakeBrokers {
  readonly calls: { broker: string; op: 'register' | 'unregister'; req: v1.RegisterFilterServerRequest }[] = [];
  readonly closed: string[] = [];
  readonly down = new Set<string>();
  connects = 0;

  connect = (broker: string): RegistryPort => {
    this.connects++;
    return {
      register: async (req) => {
        this.calls.push({ broker, op: 'register', req });
        if (this.down.has(broker)) throw new OrbitError('SERVICE_UNAVAILABLE', `${broker} is down`);
        return { brokerName: `b-${broker}`, brokerId: 0, expiresAfterMs: '30000' };
      },
      unregister: async (req) => {
        this.calls.push({ broker, op: 'unregister', req });
        if (this.down.has(broker)) throw new OrbitError('SERVICE_UNAVAILABLE', `${broker} is down`);
      },
      close: () => void this.closed.push(broker),
    };
  };

  registered(broker: string): number {
    return this.calls.filter((c) => c.broker === broker && c.op === 'register').length;
  }
}

function eventLog(): { events: RegistrarEvents; log: string[] } {
  const log: string[] = [];
  return {
    log,
    events: {
      registered: (b) => log.push(`registered ${b}`),
      registerFailed: (b, e) => log.push(`failed ${b} ${e.code}`),
      recovered: (b) => log.push(`recovered ${b}`),
      brokerGone: (b) => log.push(`gone ${b}`),
      discoveryFailed: (e) => log.push(`discovery failed ${e.code}`),
      discoveryRecovered: () => log.push('discovery recovered'),
      unregistered: (b) => log.push(`unregistered ${b}`),
      unregisterFailed: (b, e) => log.push(`unregister failed ${b} ${e.code}`),
    },
  };
}

function registrar(fake: FakeBrokers, events: RegistrarEvents, staticBrokers: string[], discover?: () => Promise<string[]>): Registrar {
  return new Registrar({
    endpoint: '10.0.0.5:8079',
    instanceId: 'inst-1',
    staticBrokers,
    ...(discover ? { discover } : {}),
    connect: fake.connect,
    intervalMs: 60_000,
    stopTimeoutMs: 1_000,
    events,
  });
}

test('registers with the static brokers and the discovered ones, one client each, with endpoint and instance id', async () => {
  const fake = new FakeBrokers();
  const { events, log } = eventLog();
  const r = registrar(fake, events, ['s:1'], async () => ['d:1', 'd:2', 's:1']);
  await r.registerNow();
  await r.registerNow();
  assert.equal(fake.connects, 3);
  for (const b of ['s:1', 'd:1', 'd:2']) assert.equal(fake.registered(b), 2, b);
  assert.deepEqual(fake.calls[0]?.req, { endpoint: '10.0.0.5:8079', instanceId: 'inst-1' });
  assert.equal(r.registeredCount, 3);
  assert.deepEqual(log.sort(), ['registered d:1', 'registered d:2', 'registered s:1']);
  await r.stop();
});

test('a failing broker is reported once until it recovers; the others are unaffected', async () => {
  const fake = new FakeBrokers();
  const { events, log } = eventLog();
  const r = registrar(fake, events, ['a:1', 'b:1']);
  fake.down.add('b:1');
  await r.registerNow();
  await r.registerNow();
  await r.registerNow();
  assert.deepEqual(log, ['registered a:1', 'failed b:1 SERVICE_UNAVAILABLE']);
  assert.equal(r.registeredCount, 1);
  fake.down.delete('b:1');
  await r.registerNow();
  assert.deepEqual(log.slice(2), ['recovered b:1']);
  assert.equal(r.registeredCount, 2);
  await r.stop();
});

test('brokers that leave the discovered list get their client closed; a failed discovery keeps the last list', async () => {
  const fake = new FakeBrokers();
  const { events, log } = eventLog();
  let answer: string[] | Error = ['d:1', 'd:2'];
  const r = registrar(fake, events, [], async () => {
    if (answer instanceof Error) throw answer;
    return answer;
  });
  await r.registerNow();
  answer = new OrbitError('SERVICE_UNAVAILABLE', 'no name server');
  await r.registerNow();
  await r.registerNow();
  assert.deepEqual(r.brokerEndpoints.sort(), ['d:1', 'd:2']);
  assert.equal(log.filter((l) => l.startsWith('discovery failed')).length, 1);
  answer = ['d:2'];
  await r.registerNow();
  assert.deepEqual(r.brokerEndpoints, ['d:2']);
  assert.deepEqual(fake.closed, ['d:1']);
  assert.ok(log.includes('discovery recovered'));
  assert.ok(log.includes('gone d:1'));
  await r.stop();
});

test('stop unregisters from every broker it registered with, never throws, and closes every client', async () => {
  const fake = new FakeBrokers();
  const { events, log } = eventLog();
  const r = registrar(fake, events, ['a:1', 'b:1', 'never:1']);
  fake.down.add('never:1');
  await r.registerNow();
  fake.down.add('b:1'); // registered once, down at stop: Unregister fails, stop still completes
  await r.stop();
  const unregs = fake.calls.filter((c) => c.op === 'unregister');
  assert.deepEqual(unregs.map((c) => c.broker).sort(), ['a:1', 'b:1']);
  assert.deepEqual(unregs[0]?.req, { endpoint: '10.0.0.5:8079', instanceId: 'inst-1' });
  assert.ok(log.includes('unregistered a:1'));
  assert.ok(log.includes('unregister failed b:1 SERVICE_UNAVAILABLE'));
  assert.deepEqual(fake.closed.sort(), ['a:1', 'b:1', 'never:1']);
  await r.stop(); // idempotent
});

test('stop waits for a running round before unregistering, so no Register lands after the Unregister', async () => {
  const fake = new FakeBrokers();
  let release: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const inFlight = new Promise<void>((resolve) => (entered = resolve));
  const slow = (broker: string): RegistryPort => {
    const port = fake.connect(broker);
    return {
      ...port,
      register: async (req) => {
        entered();
        await gate;
        return port.register(req);
      },
    };
  };
  const r = new Registrar({ endpoint: 'h:1', instanceId: 'i', staticBrokers: ['a:1'], connect: slow, intervalMs: 60_000, stopTimeoutMs: 5_000 });
  const round = r.registerNow();
  await inFlight;
  const stopped = r.stop();
  release();
  await Promise.all([round, stopped]);
  assert.deepEqual(
    fake.calls.map((c) => c.op),
    ['register', 'unregister'],
  );
});

test('start registers at once without waiting for the period', async () => {
  const fake = new FakeBrokers();
  let registered: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (registered = resolve));
  const r = registrar(fake, { registered: () => registered() }, ['a:1']);
  r.start();
  await first;
  assert.equal(fake.registered('a:1'), 1);
  await r.stop();
});

test('name-server discovery lists the internal endpoint of every live broker, replicas included', async () => {
  const info: v1.GetClusterInfoResponse__Output = {
    clusters: [
      {
        clusterName: 'C1',
        brokers: [live('broker-a', 0, '10.0.0.1:10911'), live('broker-a', 1, '10.0.0.2:10911'), { ...live('broker-x', 0, ''), endpoints: null }],
      },
      { clusterName: 'C2', brokers: [live('broker-b', 0, '10.0.0.3:10911')] },
    ],
  };
  const discover = nameServerDiscovery({ getClusterInfo: async () => info });
  assert.deepEqual(await discover(), ['10.0.0.1:10911', '10.0.0.2:10911', '10.0.0.3:10911']);
});

function live(brokerName: string, brokerId: number, internalEndpoint: string): v1.LiveBroker__Output {
  return {
    broker: { clusterName: 'C', brokerName, brokerId },
    endpoints: { clientEndpoint: '10.0.0.9:8081', internalEndpoint },
    dataVersion: '1',
    lastHeartbeatMs: '0',
    ttlMs: '0',
    topicCount: 0,
    filterServerEndpoints: [],
  };
}
