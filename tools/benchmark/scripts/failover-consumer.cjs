// A SimpleConsumer whose access point is the replica, receiving all along; prints the time of each non-empty receive.
const { SimpleConsumer } = require('rocketmq-client-nodejs');
const [endpoint, group, topic] = process.argv.slice(2);
const logger = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {}, child() { return logger; } };
(async () => {
  const c = new SimpleConsumer({ namespace: '', logger, consumerGroup: group, endpoints: endpoint, subscriptions: new Map([[topic, '*']]), awaitDuration: 1000 });
  await c.startup();
  console.log('started', Date.now());
  for (;;) {
    try {
      const batch = await c.receive(32, 30000);
      for (const m of batch) await c.ack(m).catch(() => undefined);
      if (batch.length) console.log('got', batch.length, Date.now());
    } catch (e) {
      console.log('err', Date.now(), String(e.message).slice(0, 80));
      await new Promise((r) => setTimeout(r, 200));
    }
  }
})();
process.on('uncaughtException', (e) => console.log('uncaught', Date.now(), String(e.message).slice(0, 80)));
