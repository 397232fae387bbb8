/**
 * send/id-table: the dedup window's open-addressing table against a Map, with hashes forced into
 * a few values (long probe runs, runs that wrap round the end, backward shifts across them).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { IdTable, hashId } from '../src/send/id-table';

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
/** Few distinct hashes, near the end of a 16-slot table: collisions and wrap-around. */
const HASH = new Map(IDS.map((id, i) => [id, [14, 15, 15, 0, 3, 14, 7, 15, 1, 14][i] as number]));

type Op = { op: 'set'; id: string } | { op: 'delete'; pick: number } | { op: 'get'; id: string };
const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('set' as const), id: fc.constantFrom(...IDS) }),
    fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('get' as const), id: fc.constantFrom(...IDS) }),
  ),
  { maxLength: 200 },
);

test('IdTable answers as a Map would, whatever the collisions', () => {
  fc.assert(
    fc.property(ops, (script: Op[]) => {
      const idOfValue: string[] = [];
      const table = new IdTable(8, (v) => idOfValue[v]);
      const model = new Map<string, number>();
      for (const step of script) {
        if (step.op === 'set') {
          if (!model.has(step.id) && model.size >= 8) continue; // the window deletes before it adds beyond its bound
          const value = idOfValue.push(step.id) - 1;
          table.set(step.id, HASH.get(step.id) as number, value);
          model.set(step.id, value);
        } else if (step.op === 'delete') {
          const held = [...model];
          if (held.length === 0) continue;
          const [id, value] = held[step.pick % held.length] as [string, number];
          table.delete(HASH.get(id) as number, value);
          model.delete(id);
        }
        for (const id of IDS) assert.equal(table.get(id, HASH.get(id) as number), model.get(id) ?? -1, `${id} after ${JSON.stringify(step)}`);
        assert.equal(table.size, model.size);
      }
    }),
    { numRuns: 1_000 },
  );
});

test('a full table refuses one more id; deleting a value not held changes nothing', () => {
  const ids = ['p', 'q'];
  const table = new IdTable(2, (v) => ids[v]);
  table.set('p', 5, 0);
  table.set('q', 5, 1);
  assert.throws(() => table.set('r', 5, 2), RangeError);
  table.delete(5, 7);
  assert.equal(table.size, 2);
  assert.equal(table.get('q', 5), 1);
});

test('hashId spreads ids of one producer (a shared prefix, a counter) over the low bits', () => {
  const buckets = new Uint32Array(1024);
  for (let i = 0; i < 100_000; i++) {
    const b = hashId(`7F0000010C5A18B4AAC2${i.toString(16).toUpperCase().padStart(12, '0')}`) & 1023;
    buckets[b] = (buckets[b] as number) + 1;
  }
  assert.ok(Math.max(...buckets) < 160, `fullest of 1,024 buckets holds ${Math.max(...buckets)} of 100,000 (~98 expected)`);
});
