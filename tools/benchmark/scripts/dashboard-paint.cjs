#!/usr/bin/env node
// The dashboard with many topics and groups (issue #19's benchmark, not a test): creates topics
// and subscription groups on a running cluster through BrokerAdmin, then opens the topics and
// groups pages in Debian's Chromium and reports how long the first useful paint takes (from
// navigation start to the first table row on screen), and the API call behind each page.
// usage: node tools/benchmark/scripts/dashboard-paint.cjs <namesrvAddr> <dashboardUrl> [topics=10000] [groups=2000] [runs=3]
const { chromium } = require('playwright-core');
const { ClusterAdmin, callBroker, fanOut, targets } = require('@orbitmq/admin-client');

const [namesrvAddr, dashUrl, topics = '10000', groups = '2000', runs = '3'] = process.argv.slice(2);
const opts = { namesrvAddr, timeoutMs: 30_000 };

/** Creates `n` items with `call`, 32 at a time (the fan-out helper over a list of names). */
async function createAll(prefix, n, call) {
  const names = Array.from({ length: n }, (_, i) => ({ brokerName: `${prefix}${String(i).padStart(5, '0')}`, address: '' }));
  const started = Date.now();
  for (let i = 0; i < names.length; i += 512) {
    const failed = (await fanOut(names.slice(i, i + 512), (t) => call(t.brokerName))).filter((r) => !r.ok);
    if (failed.length) throw new Error(`${failed.length} failed: ${failed[0].code} ${failed[0].error}`);
  }
  return Date.now() - started;
}

/** ms from navigation start until `selector` matches `minRows` rows. */
async function paint(page, url, minRows) {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForFunction((n) => document.querySelectorAll('main tbody tr').length >= n, minRows, { timeout: 120_000 });
  return page.evaluate(() => performance.now());
}

async function main() {
  const [master] = await targets(opts);
  const admin = (method, req) => callBroker(opts, master.address, (c) => c[method].bind(c), req);
  const have = (await new ClusterAdmin(opts).topicNames()).filter((t) => t.startsWith('PaintTopic')).length;
  if (have < Number(topics)) {
    const ms = await createAll('PaintTopic', Number(topics), (name) =>
      admin('UpdateTopic', { topic: { topicName: name, readQueueNums: 1, writeQueueNums: 1, perm: 6, messageType: 'NORMAL' } }),
    );
    console.log(`created ${topics} topics in ${ms} ms`); // each one re-registers the broker's routes
    const gms = await createAll('GID_PAINT', Number(groups), (name) => admin('UpdateSubscriptionGroup', { group: { groupName: name, consumeEnable: true } }));
    console.log(`created ${groups} groups in ${gms} ms`);
  }
  const browser = await chromium.launch({ executablePath: process.env.ORBITMQ_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  const cookie = await page.context().request.get(`${dashUrl}/api/session`); // none mode: a session
  await cookie.dispose();
  const rows = { topics: [], groups: [], topicsApi: [], groupsApi: [] };
  for (let i = 0; i < Number(runs); i++) {
    rows.topics.push(await paint(page, `${dashUrl}/#/topics`, Math.min(100, Number(topics))));
    rows.groups.push(await paint(page, `${dashUrl}/#/groups`, Math.min(100, Number(groups))));
    for (const [key, path] of [
      ['topicsApi', '/api/topics?limit=100'],
      ['groupsApi', '/api/groups?limit=100'],
    ]) {
      const t0 = Date.now();
      const r = await page.context().request.get(`${dashUrl}${path}`);
      const body = await r.json();
      rows[key].push(Date.now() - t0);
      if (i === 0) console.log(`${path}: total ${body.total}`);
    }
  }
  const fmt = (xs) => xs.map((x) => Math.round(x)).join(' / ');
  console.log(`first useful paint (ms, ${runs} runs): topics page ${fmt(rows.topics)}; groups page ${fmt(rows.groups)}`);
  console.log(`API (ms): /api/topics ${fmt(rows.topicsApi)}; /api/groups ${fmt(rows.groupsApi)}`);
  await browser.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
