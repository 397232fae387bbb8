// Rough figures (not a test): parse+compile time of the official example, and matches() throughput
// with headLookup over plain objects. Run after a build: node libs/filter/bench.mjs
import { createRequire } from 'node:module';

const { compileSql92, headLookup } = createRequire(import.meta.url)('./dist/src/index.js');

const example = "TAGS is not null and TAGS in ('TagA','TagB') and (a between 0 and 3)";
for (let i = 0; i < 2000; i++) compileSql92(example); // warm up
let n = 20000;
let t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) compileSql92(example);
console.log(`compileSql92 (${example.length} chars): ${(Number(process.hrtime.bigint() - t0) / 1e3 / n).toFixed(1)} µs each`);

const six = "TAGS in ('TagA','TagB') and a between 0 and 3 and color = 'red' and region <> 'eu' and price > 9.5 and sku is not null";
const f = compileSql92(six);
const heads = [0, 1, 2, 3].map((i) => {
  const user = { a: String(i), color: i % 2 ? 'red' : 'blue', region: 'us', price: '10.5', sku: 'S' + i };
  return { tag: i % 3 ? 'TagA' : 'TagC', keys: ['k' + i], messageId: 'ID' + i, userProperty: (name) => user[name] };
});
const lookups = heads.map(headLookup);
let matched = 0;
for (let i = 0; i < 1e6; i++) matched += f.matches(lookups[i & 3]) ? 1 : 0;
n = 5e6;
matched = 0;
t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) matched += f.matches(lookups[i & 3]) ? 1 : 0;
let s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`matches() 6 predicates, prebuilt headLookup: ${(n / s / 1e6).toFixed(2)} M evals/s (${matched} matched)`);
t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) matched += f.matches(headLookup(heads[i & 3])) ? 1 : 0;
s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`matches() 6 predicates, headLookup per message: ${(n / s / 1e6).toFixed(2)} M evals/s`);
