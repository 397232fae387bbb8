#!/usr/bin/env node
// A flood of badly signed sends against a broker with aclEnable, for the "does a flood slow good
// clients" measurement (docs/benchmarks.md): every call carries a real access key and a wrong
// secret, so the broker must compute the HMAC to refuse it.
// usage: node tools/benchmark/scripts/acl-flood.cjs <endpoint> <accessKey> <durationSec> [inFlight] [secret]
// (pass the right secret for the control run: the same load, every send stored)
// ORBITMQ_TLS_CA=<ca.pem>: over TLS, trusting that CA.
const fs = require('node:fs');
const { MessagingClient } = require('@orbitmq/client');

const [endpoint, accessKey, durationSec = '20', inFlight = '64', secret = 'not-the-secret'] = process.argv.slice(2);
const tls = process.env.ORBITMQ_TLS_CA ? { tlsTrustCert: fs.readFileSync(process.env.ORBITMQ_TLS_CA) } : {};
// CONNS=<n>: the calls in flight spread over n connections of their own (default 1: one shared channel).
const conns = Math.max(1, Number(process.env.CONNS ?? 1));
const clients = Array.from(
  { length: conns },
  () => new MessagingClient(endpoint, { credentials: { accessKey, accessSecret: secret }, ...tls, ...(conns > 1 ? { ownConnection: true } : {}) }),
);
const counts = {};
const endAt = Date.now() + Number(durationSec) * 1000;
const body = Buffer.alloc(1024, 'x');

async function loop(_, i) {
  const client = clients[i % conns];
  while (Date.now() < endAt) {
    try {
      const [r] = await client.send([{ topic: 'W2', body }]);
      counts[r.error ?? 'OK'] = (counts[r.error ?? 'OK'] ?? 0) + 1;
    } catch (e) {
      counts[e.code ?? 'ERROR'] = (counts[e.code ?? 'ERROR'] ?? 0) + 1;
    }
  }
}

Promise.all(Array.from({ length: Number(inFlight) }, loop)).then(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ requests: total, perSecond: Math.round(total / Number(durationSec)), counts }));
  for (const c of clients) c.close();
});
