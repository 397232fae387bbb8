// What reading N consecutive consume-queue-shaped entries (16-byte keys, 24-byte values) from LevelDB
// costs through classic-level, as ConsumeQueue.read does it: an iterator, one nextv, close; and
// getMany of 256 keys; and, for the block layout proposed there, one get of a 6 KiB value holding 256
// entries. docs/benchmarks.md (W3) has the figures.
// usage: node tools/benchmark/scripts/cq-range-read.cjs
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ClassicLevel } = require('classic-level');

const ENTRIES = 200_000;
const READS = 500;
const key = (i) => {
  const k = Buffer.alloc(16);
  k.write('cW3', 0);
  k.writeUInt32BE(i, 12);
  return k;
};

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cq-range-read-'));
  const db = new ClassicLevel(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const batch = db.batch();
  for (let i = 0; i < ENTRIES; i++) batch.put(key(i), Buffer.alloc(24, 1));
  await batch.write();
  const read = async (from, n) => {
    const it = db.iterator({ gte: key(from), lt: key(from + n), limit: n });
    const entries = await it.nextv(1024);
    await it.close();
    return entries.length;
  };
  for (const n of [1, 16, 64, 128, 256, 512, 1024]) {
    for (let w = 0; w < 100; w++) await read((w * 256) % (ENTRIES - 2048), n);
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    let got = 0;
    for (let k = 0; k < READS; k++) got = await read((k * 256) % (ENTRIES - 2048), n);
    const cpu = process.cpuUsage(cpu0);
    const wallUs = Number(process.hrtime.bigint() - t0) / READS / 1000;
    console.log(`${n} entries asked (${got} returned): wall ${wallUs.toFixed(0)} µs, CPU ${((cpu.user + cpu.system) / READS).toFixed(0)} µs per read`);
  }
  const keys = Array.from({ length: 256 }, (_, i) => key(1000 + i));
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < 300; k++) await db.getMany(keys);
  const cpu = process.cpuUsage(cpu0);
  console.log(`getMany of 256 keys: CPU ${((cpu.user + cpu.system) / 300).toFixed(0)} µs per call`);
  const blocks = db.batch();
  for (let i = 0; i < 800; i++) blocks.put(Buffer.concat([Buffer.from('b'), key(i)]), Buffer.alloc(256 * 24, 1));
  await blocks.write();
  const bcpu0 = process.cpuUsage();
  for (let k = 0; k < 2000; k++) await db.get(Buffer.concat([Buffer.from('b'), key(k % 800)]));
  const bcpu = process.cpuUsage(bcpu0);
  console.log(`get of one 256-entry block (6 KiB value): CPU ${((bcpu.user + bcpu.system) / 2000).toFixed(0)} µs per call`);
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
})();
