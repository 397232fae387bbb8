/**
 * The dashboard (issue #19) in a real Chromium against real processes: a name server, a broker
 * and the dashboard app, each on loopback with free ports. The official client sends and
 * consumes next to it. Screenshots of the main pages go to e2e/artifacts/dashboard; axe-core
 * checks each for serious accessibility violations; every request the pages make must stay on
 * the dashboard's origin.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot, seriousA11yViolations } from '../support/browser';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, runToExit, startApp, stopAll, tmpDir } from '../support/processes';
import { bounded, startSdkConsumer, startSdkProducer } from '../support/sdk';

const TOPIC = 'DashTopic';
const GROUP = 'GID_DASH';
let namesrvAddr: string;
let broker: AppProcess;
let dashUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const foreignRequests: string[] = [];
const startedMs = Date.now();
const shutdowns: (() => Promise<unknown>)[] = [];

function startDashboard(extra: string[] = []): Promise<AppProcess> {
  // Lag is sampled only when the groups page is served, so the trend the test reads is its own.
  const sampling = ['--lagSampleIntervalMs', '0'];
  return startApp('dashboard', ['--namesrvAddr', namesrvAddr, '--listenHost', '127.0.0.1', '--listenPort', '0', '--metricsPort', '0', ...sampling, ...extra]);
}
const urlOf = (d: AppProcess): string => `http://127.0.0.1:${String(d.ready.httpPort)}`;
const mqadmin = (...args: string[]) => runToExit('tools/mqadmin/dist/src/main.js', ['-n', namesrvAddr, ...args]);

before(async () => {
  const ns = await startNamesrv();
  namesrvAddr = grpcAddress(ns);
  broker = await startBroker(namesrvAddr, { extra: ['--brokerName', 'broker-dash'] });
  dashUrl = urlOf(await startDashboard());
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('http://127.0.0.1:') && !u.startsWith('data:')) foreignRequests.push(u);
  });
});

after(async () => {
  for (const s of shutdowns.reverse()) await bounded(s());
  await bounded(browser?.close() ?? Promise.resolve());
  await stopAll();
});

const sdkProducer = (name: string) => startSdkProducer(clientEndpoint(broker), name, shutdowns);
const sdkConsumer = (name: string, group: string, topic: string) => startSdkConsumer(clientEndpoint(broker), name, group, topic, shutdowns);

async function checkA11y(name: string): Promise<void> {
  await screenshot(page, name);
  assert.deepEqual(await seriousA11yViolations(page), [], `${name}: serious accessibility violations`);
}

test('the overview shows the cluster; a topic created in the page exists for mqadmin too', async () => {
  await page.goto(dashUrl);
  await page.getByRole('cell', { name: 'broker-dash' }).first().waitFor();
  await page.getByText('up', { exact: true }).first().waitFor();
  // Live over server-sent events; from the second sample on, each broker has a write rate.
  await page.getByTestId('overview-state').getByText(/^live · /).waitFor();
  await page.getByRole('row', { name: /broker-dash .* [\d.]+ (KiB|MiB)\/s / }).waitFor({ timeout: 15_000 });
  await checkA11y('overview');

  await page.getByRole('link', { name: 'Topics' }).click();
  await page.getByLabel('New topic').fill(TOPIC);
  await page.getByLabel('Queues').fill('1');
  await page.getByRole('button', { name: 'Create topic' }).click();
  await page.getByText('broker-dash: created').waitFor();
  assert.match(await page.getByTestId('mqadmin').first().innerText(), /mqadmin -- updateTopic .* -t DashTopic/);
  await eventually('the topic is listed by mqadmin', async () => (mqadmin('topicList').stdout.includes(TOPIC) ? true : undefined));
  await page.getByLabel('Search').fill('Dash');
  await page.getByRole('link', { name: TOPIC }).waitFor();
  // Stats from ListTopicStats: type, queues, permission, messages written, rate (— before a second count), brokers.
  await page.getByRole('row', { name: `${TOPIC} NORMAL 1/1 rw 0 — broker-dash` }).waitFor();
  // A rate from a count at least a second after the previous one (each listing takes one).
  await eventually(
    'a rate from a second count',
    async () => {
      const res = await page.request.get(`${dashUrl}/api/topics?search=${TOPIC}`);
      return ((await res.json()) as { stats: ({ ratePerSecond: number | null } | null)[] }).stats[0]?.ratePerSecond === 0 ? true : undefined;
    },
    10_000,
    500,
  );
  await page.reload();
  await page.getByLabel('Search').fill('Dash');
  await page.getByRole('row', { name: `${TOPIC} NORMAL 1/1 rw 0 0.0/s broker-dash` }).waitFor();
  await page.getByLabel('Type').selectOption('FIFO');
  await page.getByText('0 topics; showing 0-0').waitFor();
  assert.equal(await page.getByRole('link', { name: TOPIC }).count(), 0, 'a type filter leaves the NORMAL topic out');
  await page.getByLabel('Type').selectOption('NORMAL');
  await page.getByRole('link', { name: TOPIC }).waitFor();
  await checkA11y('topics');
});

test("a topic's settings are shown on its page and updated from it, as mqadmin sees them", async () => {
  const topic = 'DashEditTopic';
  const made = mqadmin('updateTopic', '-t', topic, '-c', 'DefaultCluster', '-r', '2', '-w', '2');
  assert.equal(made.status, 0, made.stderr);
  await page.goto(`${dashUrl}/#/topics/${topic}`);
  const settings = page.getByRole('region', { name: 'Settings' });
  await settings.getByRole('row', { name: 'broker-dash 2 2 read and write MIXED' }).waitFor();
  const form = page.getByRole('form', { name: `Update topic ${topic}` });
  await form.getByLabel('Read queues').fill('4');
  await form.getByLabel('Write queues').fill('4');
  await form.getByLabel('Permission').selectOption({ label: 'read only' });
  await form.getByRole('button', { name: 'Update topic' }).click();
  await form.getByRole('status').getByText('broker-dash: updated').waitFor();
  assert.match(await form.getByRole('status').innerText(), /updateTopic -n \S+ -t DashEditTopic -c DefaultCluster -r 4 -w 4 -p 4 -a MIXED/);
  await settings.getByRole('row', { name: 'broker-dash 4 4 read only MIXED' }).waitFor();
  const status = mqadmin('topicStatus', '-t', topic, '--json');
  assert.equal(status.status, 0, status.stderr);
  assert.equal((JSON.parse(status.stdout) as { queues: unknown[] }[])[0]?.queues.length, 4);
  await checkA11y('topic-settings');
});

test('a broker page shows its store, its replication and the settings that differ from their defaults', async () => {
  await page.goto(dashUrl);
  await page.getByRole('link', { name: 'broker-dash' }).click();
  await page.getByRole('heading', { name: 'Broker broker-dash (id 0)' }).waitFor();
  await page.getByText('Role ASYNC_MASTER').waitFor();
  await page.getByText('No replica is following this broker.').waitFor();
  // Started with --brokerName broker-dash: shown with the default it replaced.
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'brokerName', exact: true }) });
  assert.deepEqual(await row.getByRole('cell').allInnerTexts(), ['brokerName', 'broker-dash', 'broker-a']);
  assert.equal(await page.getByRole('cell', { name: 'flushDiskType', exact: true }).count(), 0, 'unchanged settings are hidden until asked');
  await page.getByRole('button', { name: 'Show all' }).click();
  await page.getByRole('cell', { name: 'flushDiskType', exact: true }).waitFor();
  // A setting changed on the running broker (UpdateBrokerConfig), then shown against its default.
  const change = page.getByRole('form', { name: 'Change a setting' });
  await change.getByLabel('Setting').selectOption('fileReservedTime');
  await change.getByLabel('Value').fill('48');
  await change.getByRole('button', { name: 'Change' }).click();
  await change.getByRole('status').getByText('fileReservedTime = 48 (until a restart: the broker was started without -c)').waitFor();
  assert.match(await change.getByTestId('mqadmin').innerText(), /updateBrokerConfig -n \S+ -b 127\.0\.0\.1:\d+ -k fileReservedTime -v 48$/);
  const reserved = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'fileReservedTime', exact: true }) });
  await eventually('the page shows the new value', async () => ((await reserved.getByRole('cell').allInnerTexts()).join('|') === 'fileReservedTime|48|72' ? true : undefined));
  await change.getByLabel('Setting').selectOption('diskMaxUsedSpaceRatio');
  await change.getByLabel('Value').fill('99');
  await change.getByRole('button', { name: 'Change' }).click();
  await change.getByText(/expected an integer from 10 to 95/).waitFor();
  await checkA11y('broker');
});

test('a test message sent from the page is found by browsing its queue and by its id', async () => {
  await page.goto(`${dashUrl}/#/topics/${TOPIC}`);
  await page.getByLabel('Body', { exact: true }).fill('hello from the browser');
  await page.getByLabel('Tag', { exact: true }).fill('UI');
  await page.getByRole('button', { name: 'Send' }).click();
  const id = await page.getByTestId('sent-id').innerText();
  assert.match(id, /^01[0-9A-F]+$/);
  await page.getByRole('button', { name: 'Browse' }).click();
  await page.getByRole('cell', { name: 'hello from the browser' }).waitFor();
  await page.getByRole('cell', { name: id, exact: true }).waitFor();
  // The brokers' scan streams its progress; every queue, by tag: found; another tag: none.
  const progress = page.getByTestId('browse-progress');
  await progress.getByText(/^broker-dash: done \(end of queues\); 1 of 1 queues, \d+ read, \d+ matched$/).waitFor();
  await page.getByLabel('Queue (empty: all)').fill('');
  await page.getByLabel('Expression').fill('UI');
  await page.getByRole('button', { name: 'Browse' }).click();
  await progress.getByText(/^broker-dash: done \(end of queues\); 1 of 1 queues, \d+ read, 1 matched$/).waitFor();
  await page.getByRole('cell', { name: 'hello from the browser' }).waitFor();
  await page.getByLabel('Expression').fill('NoSuchTag');
  await page.getByRole('button', { name: 'Browse' }).click();
  await progress.getByText(/; 1 of 1 queues, \d+ read, 0 matched$/).waitFor();
  assert.equal(await page.getByRole('cell', { name: 'hello from the browser' }).count(), 0);
  await checkA11y('topic');

  await page.getByRole('link', { name: 'Messages' }).click();
  await page.getByLabel('Message id').fill(id);
  await page.getByRole('button', { name: 'Find by id' }).click();
  await page.getByRole('cell', { name: 'hello from the browser' }).waitFor();
  await checkA11y('messages');
});

test('a live tail shows a message the official client sends', async () => {
  await page.goto(`${dashUrl}/#/topics/${TOPIC}`);
  await page.getByRole('button', { name: 'Start live tail' }).click();
  await eventually('the tail follows the queue', async () => ((await page.getByTestId('tail-state').innerText()).includes('following 1 queues') ? true : undefined));
  const { producer, stop: stopProducer } = await sdkProducer('dash-producer');
  await producer.send({ topic: TOPIC, tag: 'SDK', body: Buffer.from('sent by the official client') });
  await page.getByRole('cell', { name: 'sent by the official client' }).waitFor();
  await page.getByRole('button', { name: 'Stop live tail' }).click();
  await stopProducer(); // while its broker still runs (the last test kills it)
});

test('the delayed-and-transactions page counts a message the official client delays by 90 minutes', async () => {
  const { producer, stop: stopProducer } = await sdkProducer('dash-delay');
  await producer.send({ topic: 'DashDelay', body: Buffer.from('due later'), deliveryTimestamp: new Date(Date.now() + 90 * 60_000) });
  await stopProducer();
  await page.goto(`${dashUrl}/#/pending`);
  await page.getByTestId('delayed-total').getByText('1', { exact: true }).waitFor();
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'broker-dash', exact: true }) });
  const head = await page.getByRole('row').first().getByRole('columnheader').allInnerTexts();
  const cells = await row.getByRole('cell').allInnerTexts();
  assert.equal(cells[head.indexOf('2h')], '1', `due within 2 h: ${head.join('|')} / ${cells.join('|')}`);
  assert.equal(await page.getByTestId('transactions-total').innerText(), '0');
  await checkA11y('pending');
  // This cluster runs without ACL: the ACL page says so rather than listing nothing.
  await page.getByRole('link', { name: 'ACL' }).click();
  await page.getByTestId('acl-off').waitFor();
  await checkA11y('acl');
});

test("a group's offset is reset through its preview, and the preview is what the brokers commit", async () => {
  // The official client consumes both messages of the topic (the group starts at the first): lag 0.
  assert.equal(mqadmin('updateSubGroup', '-g', GROUP, '-c', 'DefaultCluster', '--consumeFromWhere', 'CONSUME_FROM_FIRST_OFFSET').status, 0);
  const { consumer, stop: stopConsumer } = await sdkConsumer('dash-consumer', GROUP, TOPIC);
  const seen = new Set<string>();
  await eventually('both messages consumed', async () => {
    for (const m of await consumer.receive(16, 30_000)) {
      seen.add(m.body.toString());
      await consumer.ack(m);
    }
    return seen.size >= 2 ? true : undefined;
  }, 30_000);
  await stopConsumer(); // while its broker still runs; the group's offsets stay
  await eventually('lag 0', async () => ((JSON.parse(mqadmin('consumerProgress', '-g', GROUP, '-t', TOPIC, '--json').stdout) as { totalLag: number }).totalLag === 0 ? true : undefined));

  await page.goto(`${dashUrl}/#/topics/${TOPIC}`);
  // The topic lists the groups that consumed it (from the groups' own progress, lag 0 now).
  const consumed = page.getByRole('row').filter({ has: page.getByRole('cell', { name: GROUP, exact: true }) });
  await consumed.waitFor();
  assert.deepEqual((await consumed.getByRole('cell').allInnerTexts()).slice(0, 2), [GROUP, '0']);
  await page.getByRole('button', { name: `Progress of ${GROUP}` }).click();
  await page.getByTestId('total-lag').waitFor();
  assert.equal(await page.getByTestId('total-lag').innerText(), '0');
  await page.getByLabel('Reset to').selectOption('earliest');
  await page.getByRole('button', { name: 'Preview reset' }).click();
  const preview = page.getByTestId('reset-preview');
  await preview.getByText('2 messages will be consumed again').waitFor();
  assert.deepEqual(await preview.getByRole('row').allInnerTexts(), ['Broker\tQueue\tBefore\tAfter', 'broker-dash\t0\t2\t0']);
  assert.equal((JSON.parse(mqadmin('consumerProgress', '-g', GROUP, '-t', TOPIC, '--json').stdout) as { totalLag: number }).totalLag, 0, 'the preview moved nothing');
  await screenshot(page, 'reset-preview');
  await page.getByRole('button', { name: 'Apply this reset' }).click();
  await page.getByTestId('reset-applied').waitFor();
  const progress = JSON.parse(mqadmin('consumerProgress', '-g', GROUP, '-t', TOPIC, '--json').stdout) as {
    totalLag: number;
    queues: { consumerOffset: string; nextStoreTimestampMs: string }[];
  };
  assert.equal(progress.totalLag, 2);
  assert.deepEqual(progress.queues.map((q) => q.consumerOffset), ['0']);
  assert.equal(await page.getByTestId('total-lag').innerText(), '2');
  // Lag in time: the first message (sent earlier in this file) is the oldest not consumed.
  const firstStoredMs = Number(progress.queues[0]?.nextStoreTimestampMs);
  assert.ok(firstStoredMs > startedMs && firstStoredMs <= Date.now(), `store time ${firstStoredMs}`);
  assert.match(await page.getByTestId('lag-time').innerText(), /^\d+ (s|m \d+ s)$/);

  // The groups page lists the group with the same lag (one ListSubscriptionGroups per master).
  await page.getByRole('link', { name: 'Groups' }).click();
  const row = page.getByRole('row').filter({ hasText: GROUP });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`^${GROUP}\t2\t`));
  // The lag trend starts with this page's own sample: one point, its ETA still being measured.
  assert.equal(await row.getByTestId('drain-eta').innerText(), 'measuring…');
  await checkA11y('groups');

  // The group's page: lag in messages and in time per topic, and (from its second sample) the chart.
  await row.getByRole('link', { name: GROUP }).click();
  const topics = page.getByRole('table', { name: 'Topics it has consumed' });
  await topics.getByRole('cell', { name: TOPIC }).waitFor();
  assert.match((await topics.getByRole('row').allInnerTexts())[1] ?? '', new RegExp(`^${TOPIC}\t2\t\\d+ (s|m \\d+ s)$`));
  // Samples closer than half the sampling interval (7.5 s here) replace each other: each call of
  // the group's API takes one, so ask until the history holds a second, then load the page.
  await eventually(
    'the lag history has two samples',
    async () => {
      const res = await page.request.get(`${dashUrl}/api/groups/${GROUP}`);
      return ((await res.json()) as { history?: { at: number[] } }).history?.at.length === 2 ? true : undefined;
    },
    30_000,
    500,
  );
  await page.reload();
  await page.getByTestId('lag-chart').waitFor();
  assert.match(await page.getByTestId('lag-chart').innerText(), /from 2 to 2, at most 2 \(2 samples\)/);
  await checkA11y('group-chart');
});

test('a dead letter is found by topic and time with its delivery state, resent from its DLQ page to the topic it came from, and consumed again', async () => {
  const group = 'GID_DASH_DLQ';
  const topic = 'DashDlqSource';
  const r = mqadmin('updateSubGroup', '-g', group, '-c', 'DefaultCluster', '--maxDeliveryAttempts', '1', '--consumeFromWhere', 'CONSUME_FROM_FIRST_OFFSET');
  assert.equal(r.status, 0, r.stderr);
  const { producer, stop: stopProducer } = await sdkProducer('dash-dlq-producer');
  await producer.send({ topic, body: Buffer.from('poison'), keys: ['dlq-key'] });
  await stopProducer();
  const { consumer, stop: stopConsumer } = await sdkConsumer('dash-dlq-consumer', group, topic);
  // Received once and never acked: with one delivery attempt allowed it goes to %DLQ%<group>.
  await eventually('received once', async () => ((await consumer.receive(1, 1_000)).length === 1 ? true : undefined), 30_000);
  const dlq = `%DLQ%${group}`;
  await eventually('dead-lettered', async () => {
    // A delivery past its attempts is moved to the DLQ when its queue is next received from.
    assert.deepEqual(await consumer.receive(1, 1_000), [], 'no further delivery: one attempt allowed');
    const res = await page.request.get(`${dashUrl}/api/topics/${encodeURIComponent(dlq)}`); // with the page's session
    const detail = res.ok() ? ((await res.json()) as { brokers: { queues?: { maxOffset: string }[] }[] }) : undefined;
    return detail?.brokers[0]?.queues?.[0]?.maxOffset === '1' ? true : undefined;
  }, 30_000);

  // Found by topic and time; its delivery state names the group that dead-lettered it.
  await page.goto(`${dashUrl}/#/messages`);
  await page.getByLabel('In topic').fill(topic);
  const localTime = (ms: number) => {
    const d = new Date(ms);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  };
  await page.getByLabel('Stored from').fill(await page.evaluate(localTime, startedMs - 60_000));
  await page.getByRole('button', { name: 'Find by time' }).click();
  await page.getByRole('cell', { name: 'poison' }).waitFor();
  await page.getByRole('button', { name: /^Delivery of / }).click();
  const delivery = page.getByTestId('delivery');
  await delivery.getByRole('row', { name: new RegExp(`${group}\\s+dead-lettered after 1 attempts \\(%DLQ%${group} @ 0\\)`) }).waitFor();
  await checkA11y('message-delivery');
  // The same track from mqadmin (RocketMQ's queryMsgByOffset).
  const track = mqadmin('queryMsgByOffset', '-t', topic, '-i', '0', '-o', '0');
  assert.equal(track.status, 0, track.stderr);
  assert.match(track.stdout, new RegExp(`${group}\\s+DEAD_LETTERED\\s+1\\s+-\\s+%DLQ%${group}@0`));

  // Resent with no target named: each goes back to the topic it came from (its RETRY_TOPIC).
  await page.goto(`${dashUrl}/#/topics/${encodeURIComponent(dlq)}`);
  await page.getByLabel('Offsets').fill('0-1');
  await page.getByRole('button', { name: 'Resend' }).click();
  const result = page.getByTestId('resend-result');
  await result.getByText('1 of 2 sent to the topics they came from').waitFor();
  const rows = await result.getByRole('row').allInnerTexts();
  assert.match(rows[1] ?? '', new RegExp(`^0\\tsent to ${topic} as [0-9A-F]+$`));
  assert.match(rows[2] ?? '', /^1\tMESSAGE_NOT_FOUND: no message at offset 1 of queue 0/);
  assert.match(await result.getByTestId('mqadmin').innerText(), new RegExp(`resendMessages -n \\S+ -t %DLQ%${group} -i 0 -o 0-1$`));
  // The same from mqadmin, to another topic: the copy keeps its keys.
  assert.equal(mqadmin('updateTopic', '-t', 'DashDlqCopy', '-c', 'DefaultCluster', '-r', '1', '-w', '1').status, 0);
  const again = mqadmin('resendMessages', '-t', dlq, '-o', '0', '--to', 'DashDlqCopy');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /broker-dash\s+0\s+SENT\s+DashDlqCopy\s+[0-9A-F]+/);
  await eventually('the copy is found by its key', async () => (mqadmin('queryMsgByKey', '-t', 'DashDlqCopy', '-k', 'dlq-key').stdout.includes('DashDlqCopy') ? true : undefined));
  await checkA11y('dlq-resend');
  // The resent copy is a new message of the topic: the group receives it (and acks it this time).
  await eventually('the resent message is consumed', async () => {
    for (const m of await consumer.receive(1, 10_000)) {
      await consumer.ack(m);
      if (m.body.toString() === 'poison' && m.keys.includes('dlq-key')) return true;
    }
    return undefined;
  }, 30_000);
  await stopConsumer();
});

test('a group is created from the groups page, updated and deleted from its own page', async () => {
  const group = 'GID_DASH_CRUD';
  await page.goto(`${dashUrl}/#/groups`);
  const create = page.getByRole('form', { name: 'Create a group' });
  await create.getByLabel('New group').fill(group);
  await create.getByLabel('Max delivery attempts').fill('3');
  await create.getByLabel('Retry ladder (ms)').fill('1000, 5000');
  await create.getByRole('button', { name: 'Create group' }).click();
  await create.getByRole('status').getByText('broker-dash: created').waitFor();
  assert.match(await create.getByRole('status').innerText(), /updateSubGroup -n \S+ -g GID_DASH_CRUD -c DefaultCluster -r 3 --retryBackoffMs 1000,5000/);

  await page.goto(`${dashUrl}/#/groups/${group}`);
  const settings = page.getByRole('table', { name: 'Settings and totals' });
  await settings.getByRole('cell', { name: '1000, 5000', exact: true }).waitFor();
  assert.match((await settings.getByRole('row').allInnerTexts())[1] ?? '', /\t3\t1000, 5000\t/);
  const update = page.getByRole('form', { name: `Update group ${group}` });
  await update.getByLabel('Max delivery attempts').fill('5');
  await update.getByRole('button', { name: 'Update group' }).click();
  await update.getByRole('status').getByText('broker-dash: updated').waitFor();
  await eventually('the page shows the update', async () => {
    const row = (await settings.getByRole('row').allInnerTexts())[1] ?? '';
    return /\t5\t1000, 5000\t/.test(row) ? true : undefined;
  }, 10_000);
  await checkA11y('group');

  await page.getByLabel(`Type ${group} to confirm`).fill(group);
  await page.getByRole('button', { name: 'Delete group' }).click();
  await page.getByText('broker-dash: deleted').waitFor();
  const gone = await page.request.get(`${dashUrl}/api/groups/${group}`);
  assert.equal(gone.status(), 404);
});

test('read-only mode (with a file login): the page offers no writes and the server refuses a forged one', async () => {
  const dir = tmpDir('orbitmq-dash-users-');
  const users = path.join(dir, 'users.yml');
  const hash = runToExit('apps/dashboard/dist/src/main.js', ['--hashPassword', 'alice-secret']).stdout.trim(); // the CLI operators use
  fs.writeFileSync(users, `users:\n  - name: alice\n    role: admin\n    password: ${hash}\n`);
  const readOnly = await startDashboard(['--dashboardAuth', 'file', '--dashboardUsersFile', users, '--dashboardReadOnly', 'true']);
  const p = await context.newPage();
  await p.goto(urlOf(readOnly));
  await p.getByLabel('User').fill('alice');
  await p.getByLabel('Password').fill('not-her-password');
  await p.getByRole('button', { name: 'Log in' }).click();
  await p.getByText('LOGIN_FAILED: unknown user or wrong password').waitFor();
  await p.getByLabel('Password').fill('alice-secret');
  await p.getByRole('button', { name: 'Log in' }).click();
  await p.getByText('Read-only dashboard').waitFor();
  await p.getByRole('link', { name: 'Topics' }).click();
  await p.getByRole('link', { name: TOPIC }).waitFor();
  assert.equal(await p.getByRole('button', { name: 'Create topic' }).count(), 0);
  const forged = await p.evaluate(async () => {
    const s = (await (await fetch('/api/session')).json()) as { csrfToken: string };
    const r = await fetch('/api/topics', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken }, body: '{"topic":"Forged"}' });
    return { status: r.status, body: (await r.json()) as { code: string } };
  });
  assert.deepEqual([forged.status, forged.body.code], [403, 'READ_ONLY']);
  await screenshot(p, 'read-only');
  await p.close();
});

test('a stopped broker is shown as failed, not as an empty broker; no request left the origin', async () => {
  await broker.kill('SIGKILL');
  await page.goto(dashUrl);
  const failed = page.getByTestId('broker-failed');
  await failed.waitFor({ timeout: 20_000 });
  assert.match(await failed.innerText(), /failed: \w+/);
  await checkA11y('broker-failed');
  assert.deepEqual(foreignRequests, []);
});
