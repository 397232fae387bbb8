import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as grpc from '@grpc/grpc-js';
import { OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { type RunningServer, startGrpcServer, unary } from '@orbitmq/rpc';
import {
  NameServerClients,
  REGISTRATION_RETRY_INITIAL_BACKOFF_MS,
  REGISTRATION_RETRY_JITTER_RATIO,
  REGISTRATION_RETRY_MAX_BACKOFF_MS,
  Registration,
  type RegistrationEventMap,
  type RegistrationEventName,
  type RegistrationPort,
  type RegistrationTimers,
  registrationRetryDelayMs,
} from '../src';

/** Upper bound for "it happened": generous, only there so a broken build fails instead of hanging. */
const EVENTUALLY_MS = 20_000;
/** Much longer than any test: only the retry path (or an explicit call) can explain a registration. */
const PERIOD_MS = 60_000;

const IDENTITY = { clusterName: 'C', brokerName: 'b1', brokerId: 0 };
const ENDPOINTS = { clientEndpoint: '127.0.0.1:8081', internalEndpoint: '127.0.0.1:8082' };
const TOPICS: v1.TopicConfig[] = [{ topicName: 'T', readQueueNums: 4, writeQueueNums: 4, perm: 6, messageType: 'NORMAL' }];

/** A minimal in-process NameServer that records what it hears; `hold` parks RegisterBroker calls until released. */
async function fakeNamesrv(port = 0, hold?: Promise<void>) {
  const registrations: v1.RegisterBrokerRequest__Output[] = [];
  const unregistrations: v1.UnregisterBrokerRequest__Output[] = [];
  const impl: Partial<v1.NameServerHandlers> = {
    RegisterBroker: unary('RegisterBroker', async (r: v1.RegisterBrokerRequest__Output) => {
      registrations.push(r);
      await hold;
      return { topicsUpdated: true };
    }),
    UnregisterBroker: unary('UnregisterBroker', (r: v1.UnregisterBrokerRequest__Output) => {
      unregistrations.push(r);
      return {};
    }),
  };
  const binding = { definition: orbitmqV1().NameServer.service, implementation: impl as grpc.UntypedServiceImplementation };
  const server = await startGrpcServer('127.0.0.1', port, [binding]);
  return { server, registrations, unregistrations };
}

/** A free port to bring a name server up on later (bound once by a throwaway server, then released). */
async function reservePort(): Promise<number> {
  const s: RunningServer = await startGrpcServer('127.0.0.1', 0, []);
  await s.stop(0);
  return s.port;
}

/** The next event matching `match`; subscribe before causing it. */
function nextEvent<K extends RegistrationEventName>(
  reg: Registration,
  event: K,
  match: (p: RegistrationEventMap[K]) => boolean = () => true,
  timeoutMs = EVENTUALLY_MS,
): Promise<RegistrationEventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = reg.events.on(event, (p) => {
      if (!match(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

/** Resolves once cond() holds (polled), rejects after timeoutMs. */
async function until(cond: () => boolean, what: string, timeoutMs = EVENTUALLY_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Timers that fire only when the test says so. */
class ManualTimers implements RegistrationTimers {
  private nextId = 1;
  readonly pending = new Map<number, { callback: () => void; delayMs: number }>();

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { callback, delayMs });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  delays(): number[] {
    return [...this.pending.values()].map((t) => t.delayMs);
  }

  /** Fires the one pending timer with this delay, from a fresh macrotask as a real timer would (the attempt that armed it has settled). */
  async fire(delayMs: number): Promise<void> {
    await new Promise((r) => setImmediate(r));
    const hits = [...this.pending].filter(([, t]) => t.delayMs === delayMs);
    assert.equal(hits.length, 1, `exactly one pending timer of ${delayMs} ms (pending: ${this.delays().join(', ')})`);
    const [id, t] = hits[0] as [number, { callback: () => void }];
    this.pending.delete(id);
    t.callback();
  }
}

/** Options every test shares; a test adds or overrides the rest. */
const BASE = { identity: IDENTITY, endpoints: ENDPOINTS, snapshot: () => ({ dataVersion: '1', topics: TOPICS }), periodMs: PERIOD_MS };

/** A port whose name servers fail with `failWith[address]` while set, and answer otherwise; registrations wait for `gate.hold`. */
function fakePort(addresses: string[]) {
  const failWith = new Map<string, OrbitError>();
  const gate: { hold?: Promise<void> } = {};
  const calls: { op: 'register' | 'unregister'; address: string; dataVersion?: string }[] = [];
  const port: RegistrationPort = {
    addresses,
    registerBrokerAt: async (address, req) => {
      calls.push({ op: 'register', address, dataVersion: req.dataVersion ?? '' });
      await gate.hold;
      const error = failWith.get(address);
      return error ? { address, error } : { address, result: { topicsUpdated: true, master: null } };
    },
    unregisterBrokerAt: async (address) => {
      calls.push({ op: 'unregister', address });
      return { address, result: {} };
    },
  };
  const count = (op: 'register' | 'unregister', address: string) => calls.filter((c) => c.op === op && c.address === address).length;
  return { port, failWith, calls, count, gate };
}

test('registers with every name server at start and unregisters from every one on stop', async () => {
  const [a, b] = [await fakeNamesrv(), await fakeNamesrv()];
  const clients = new NameServerClients([a.server.address, b.server.address], { deadlineMs: 2_000, retries: 0 });
  const reg = new Registration({
    namesrv: clients,
    identity: IDENTITY,
    endpoints: ENDPOINTS,
    snapshot: () => ({ dataVersion: '7', topics: TOPICS, filterServerEndpoints: ['127.0.0.1:9000'] }),
    periodMs: PERIOD_MS,
  });
  const registered: RegistrationEventMap['registered'][] = [];
  const unregistered: string[] = [];
  reg.events.on('registered', (e) => registered.push(e));
  reg.events.on('unregistered', (e) => unregistered.push(e.address));

  await reg.start();
  for (const ns of [a, b]) {
    assert.equal(ns.registrations.length, 1);
    const r = ns.registrations[0] as v1.RegisterBrokerRequest__Output;
    assert.deepEqual(r.broker, IDENTITY);
    assert.deepEqual(r.endpoints, ENDPOINTS);
    assert.equal(r.dataVersion, '7');
    assert.deepEqual(r.topics, TOPICS);
    assert.deepEqual(r.filterServerEndpoints, ['127.0.0.1:9000']);
  }
  assert.deepEqual(
    registered.map((e) => [e.address, e.attempt, e.dataVersion, e.topicsUpdated]).sort(),
    [
      [a.server.address, 1, '7', true],
      [b.server.address, 1, '7', true],
    ].sort(),
  );

  await reg.stop();
  for (const ns of [a, b])
    assert.deepEqual(
      ns.unregistrations.map((u) => u.broker),
      [IDENTITY],
    );
  assert.deepEqual(unregistered.sort(), [a.server.address, b.server.address].sort());
  clients.close();
  await Promise.all([a.server.stop(500), b.server.stop(500)]);
});

test('a name server that is down at start is registered by the retries soon after it comes up; the others are not re-hit', async () => {
  const live = await fakeNamesrv();
  const latePort = await reservePort();
  const lateAddress = `127.0.0.1:${latePort}`;
  const clients = new NameServerClients([live.server.address, lateAddress], { deadlineMs: 2_000, retries: 0 });
  const reg = new Registration({ ...BASE, namesrv: clients });
  const failures: RegistrationEventMap['registrationFailed'][] = [];
  reg.events.on('registrationFailed', (e) => failures.push(e));

  await reg.start();
  // Retrying while it is down: at least two failed attempts before it comes up.
  await until(() => failures.length >= 2, 'two failed attempts with the down name server');
  assert.ok(failures.every((f) => f.address === lateAddress && f.code === 'SERVICE_UNAVAILABLE' && (f.retryInMs ?? 0) > 0));

  const recovered = nextEvent(reg, 'registered', (e) => e.address === lateAddress);
  const late = await fakeNamesrv(latePort);
  const ok = await recovered; // period is 60 s: only the retry path can get here within EVENTUALLY_MS
  assert.ok(ok.attempt >= 3, `recovered on attempt ${ok.attempt}`);
  assert.equal(ok.attempt, failures.length + 1);
  assert.equal(late.registrations.length, 1);
  assert.equal(live.registrations.length, 1, 'retries go to the failed name server only');

  await reg.stop();
  assert.equal(late.unregistrations.length, 1);
  clients.close();
  await Promise.all([live.server.stop(500), late.server.stop(500)]);
});

test('a name server that restarts between heartbeats (no call failed) is registered again once it is back', async (t) => {
  const first = await fakeNamesrv();
  const port = first.server.port;
  const clients = new NameServerClients([first.server.address], { deadlineMs: 2_000, retries: 0 });
  const reg = new Registration({ ...BASE, namesrv: clients });
  const later: { second?: Awaited<ReturnType<typeof fakeNamesrv>> } = {};
  t.after(async () => {
    await reg.stop();
    clients.close();
    await later.second?.server.stop(500);
  });
  await reg.start();
  assert.equal(first.registrations.length, 1);
  // The name server goes away and comes back empty on the same port; the period (60 s) never fires here.
  await first.server.stop(0);
  const restarted = await fakeNamesrv(port);
  later.second = restarted;
  await until(() => restarted.registrations.length >= 1, 'the restarted name server heard from us');
  assert.equal(restarted.registrations[0]?.broker?.brokerName, IDENTITY.brokerName);
});

test('registerNow() during a run: one run in flight plus one follow-up that carries the latest snapshot', async () => {
  let release: () => void = () => undefined;
  const hold = new Promise<void>((r) => (release = r));
  const ns = await fakeNamesrv(0, hold);
  const clients = new NameServerClients([ns.server.address], { deadlineMs: 10_000, retries: 0 });
  let dataVersion = '1';
  let snapshots = 0;
  const snapshot = () => {
    snapshots++;
    return { dataVersion, topics: TOPICS };
  };
  const reg = new Registration({ ...BASE, namesrv: clients, snapshot });

  const started = reg.start();
  await until(() => ns.registrations.length === 1, 'the first registration reached the name server');
  dataVersion = '2'; // a change while the first run is in flight must not be missed
  const calls = Array.from({ length: 20 }, () => reg.registerNow());
  release();
  await Promise.all([started, ...calls]);
  // Every registerNow() resolved only after the follow-up, which read the new snapshot.
  assert.deepEqual(
    ns.registrations.map((r) => r.dataVersion),
    ['1', '2'],
  );
  assert.equal(snapshots, 2);

  // Nothing else is pending: the next call is the third run exactly.
  await reg.registerNow();
  assert.equal(ns.registrations.length, 3);
  await reg.stop();
  clients.close();
  await ns.server.stop(500);
});

test('back-off per name server: delays grow x2 from the initial value, are capped, and reset after a success', async () => {
  const timers = new ManualTimers();
  const { port, failWith, count } = fakePort(['up:1', 'down:2']);
  failWith.set('down:2', new OrbitError('SERVICE_UNAVAILABLE', 'No connection established'));
  // random() = 0: no jitter taken off, so each delay is the back-off itself.
  const reg = new Registration({ ...BASE, namesrv: port, random: () => 0, timers });
  const delays: (number | undefined)[] = [];
  let failed = nextEvent(reg, 'registrationFailed');
  await reg.start();
  for (let i = 0; i < 8; i++) {
    const f = await failed;
    assert.equal(f.attempt, i + 1);
    delays.push(f.retryInMs);
    failed = nextEvent(reg, 'registrationFailed');
    await timers.fire(f.retryInMs as number);
  }
  await failed;
  assert.deepEqual(delays, [200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  assert.equal(count('register', 'up:1'), 1, 'retries do not re-hit the healthy name server');
  assert.equal(count('register', 'down:2'), 9);

  failWith.delete('down:2');
  const back = nextEvent(reg, 'registered', (e) => e.address === 'down:2');
  await timers.fire(REGISTRATION_RETRY_MAX_BACKOFF_MS);
  assert.equal((await back).attempt, 10);
  assert.deepEqual(timers.delays(), [PERIOD_MS], 'no retry pending after a success');

  // A later failure starts over from the initial back-off.
  failWith.set('down:2', new OrbitError('SERVICE_UNAVAILABLE', 'restarting'));
  const again = nextEvent(reg, 'registrationFailed');
  await reg.registerNow();
  assert.deepEqual([(await again).attempt, (await again).retryInMs], [1, REGISTRATION_RETRY_INITIAL_BACKOFF_MS]);

  await reg.stop();
  assert.deepEqual(timers.delays(), [], 'stop() clears the period and every retry');
});

test('jitter takes at most JITTER_RATIO off the back-off, and never exceeds the cap', () => {
  let previousCeilingMs = 0;
  for (let failures = 1; failures <= 40; failures++) {
    const ceilingMs = registrationRetryDelayMs(failures, () => 0);
    assert.ok(ceilingMs >= previousCeilingMs && ceilingMs <= REGISTRATION_RETRY_MAX_BACKOFF_MS);
    previousCeilingMs = ceilingMs;
    for (const r of [0.25, 0.5, 0.999999]) {
      const delayMs = registrationRetryDelayMs(failures, () => r);
      assert.ok(delayMs >= Math.floor(ceilingMs * (1 - REGISTRATION_RETRY_JITTER_RATIO)) && delayMs <= ceilingMs, `${failures}: ${delayMs} of ${ceilingMs}`);
    }
  }
  assert.equal(previousCeilingMs, REGISTRATION_RETRY_MAX_BACKOFF_MS);
});

test('a refused registration is not retried on its own; stop() waits for the attempt in flight, then unregisters', async () => {
  const timers = new ManualTimers();
  const { port, failWith, calls, gate } = fakePort(['a:1']);
  failWith.set('a:1', new OrbitError('BAD_REQUEST', 'bad topic'));
  const reg = new Registration({ ...BASE, namesrv: port, timers });
  const refused = nextEvent(reg, 'registrationFailed');
  await reg.start();
  assert.deepEqual(await refused, { address: 'a:1', attempt: 1, code: 'BAD_REQUEST', message: 'bad topic', retryInMs: undefined });
  assert.deepEqual(timers.delays(), [PERIOD_MS], 'only the period is armed');

  // The period tick re-sends to every name server.
  failWith.delete('a:1');
  const registered = nextEvent(reg, 'registered');
  await timers.fire(PERIOD_MS);
  assert.equal((await registered).attempt, 2);

  // An attempt in flight when stop() is called lands before the unregister, never after it.
  let release: () => void = () => undefined;
  gate.hold = new Promise<void>((r) => (release = r));
  const inFlight = reg.registerNow();
  await until(() => calls.length === 3, 'the third registration is in flight');
  const stopped = reg.stop();
  await new Promise((r) => setImmediate(r));
  assert.equal(calls.length, 3, 'no unregister while a registration is in flight');
  release();
  await Promise.all([inFlight, stopped]);
  assert.deepEqual(
    calls.map((c) => c.op),
    ['register', 'register', 'register', 'unregister'],
  );
  await reg.registerNow(); // after stop: nothing
  assert.equal(calls.length, 4);
  await assert.rejects(reg.start(), (e: OrbitError) => e.code === 'SERVICE_UNAVAILABLE');
});

test('a periodMs that is not positive is refused', () => {
  const { port } = fakePort(['a:1']);
  for (const periodMs of [0, -1, Number.NaN]) {
    assert.throws(
      () => new Registration({ ...BASE, namesrv: port, periodMs }),
      (e: OrbitError) => e.code === 'BAD_REQUEST',
    );
  }
});
