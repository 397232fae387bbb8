// Consumer-state lag: while a receive/ack load runs on the master, poll the group's consumed offsets
// on master and replica every 100 ms; for each master sample, how long until the replica showed at least that.
// usage: node state-lag.cjs <master internal host:port> <replica internal host:port> <group> <seconds>
const grpc = require('@grpc/grpc-js');
const { orbitmqV1 } = require('@orbitmq/protocol');
const [masterAddr, replicaAddr, group, seconds] = process.argv.slice(2);
const admin = (address) => new (orbitmqV1().BrokerAdmin)(address, grpc.credentials.createInsecure());
const m = admin(masterAddr);
const r = admin(replicaAddr);
const sum = (client) =>
  new Promise((resolve, reject) =>
    client.GetConsumerProgress({ group }, { deadline: Date.now() + 2000 }, (err, res) =>
      err ? reject(err) : resolve(res.queues.reduce((n, q) => n + Number(q.consumerOffset), 0)),
    ),
  );
(async () => {
  const ms = [];
  const rs = [];
  const end = Date.now() + Number(seconds) * 1000;
  while (Date.now() < end) {
    const t = Date.now();
    const [a, b] = await Promise.all([sum(m).catch(() => undefined), sum(r).catch(() => undefined)]);
    if (a !== undefined) ms.push([t, a]);
    if (b !== undefined) rs.push([t, b]);
    await new Promise((x) => setTimeout(x, 100));
  }
  const lags = [];
  for (const [t, v] of ms) {
    if (v === 0) continue;
    const hit = rs.find(([tr, vr]) => tr >= t && vr >= v);
    if (hit) lags.push(hit[0] - t);
  }
  lags.sort((x, y) => x - y);
  const p = (q) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))];
  console.log(JSON.stringify({ samples: lags.length, finalMaster: ms.at(-1)?.[1], finalReplica: rs.at(-1)?.[1], p50Ms: p(0.5), p99Ms: p(0.99), maxMs: lags.at(-1) }));
  m.close();
  r.close();
})();
