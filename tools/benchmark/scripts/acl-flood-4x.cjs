#!/usr/bin/env node
// acl-flood.cjs's 4.x twin: badly signed SEND_MESSAGE_V2 requests (1 KiB bodies, a real access key,
// a wrong secret, so the broker computes the HMAC to refuse each) over one remoting connection,
// `inFlight` at a time. A request unanswered within 10 s is given up and another sent in its place,
// as a 4.x client's timeout does; remoting cannot cancel it, so the broker still holds or reads it.
// usage: [CONNS=n] node tools/benchmark/scripts/acl-flood-4x.cjs <host:remotingPort> <accessKey> <durationSec> [inFlight] [secret]
const { remotingSignature, remotingSignedContent } = require('@orbitmq/acl');
const { buildProperties, newUniqKey, sendHeaderV2 } = require('@orbitmq/client');
const { RemotingClient, RequestCode, createRequest } = require('@orbitmq/remoting');

const [addr, accessKey, durationSec = '20', inFlight = '64', secret = 'not-the-secret'] = process.argv.slice(2);
const REQUEST_TIMEOUT_MS = 10_000;
// CONNS=<n>: the requests in flight spread over n connections (a client each; default 1).
const conns = Math.max(1, Number(process.env.CONNS ?? 1));
const clients = Array.from({ length: conns }, () => new RemotingClient());
const counts = {};
const endAt = Date.now() + Number(durationSec) * 1000;
const body = Buffer.alloc(1024, 'x');

function request() {
  const header = sendHeaderV2({
    group: 'FLOOD_PRODUCER',
    mq: { topic: 'W2', queueId: 0, brokerName: '' },
    sysFlag: 0,
    flag: 0,
    properties: buildProperties({ topic: 'W2', body }, newUniqKey()),
    batch: false,
  });
  const cmd = createRequest(RequestCode.SEND_MESSAGE_V2, { ...header, AccessKey: accessKey }, body);
  cmd.extFields.Signature = remotingSignature(secret, remotingSignedContent(cmd.extFields, cmd.body));
  return cmd;
}

async function loop(_, i) {
  const client = clients[i % conns];
  while (Date.now() < endAt) {
    try {
      const r = await client.invoke(addr, request(), Math.min(REQUEST_TIMEOUT_MS, Math.max(1, endAt - Date.now())));
      counts[r.code] = (counts[r.code] ?? 0) + 1;
    } catch (e) {
      counts[e.code ?? 'ERROR'] = (counts[e.code ?? 'ERROR'] ?? 0) + 1;
    }
  }
}

Promise.all(Array.from({ length: Number(inFlight) }, loop)).then(async () => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ requests: total, perSecond: Math.round(total / Number(durationSec)), counts }));
  for (const c of clients) await c.close();
});
