import { randomBytes } from 'node:crypto';

/*
 * Message id -> ring slot, for DedupWindow: open addressing with linear probing over typed arrays
 * (a hash and a value per position, at most half full), deletion by backward shift (no tombstones).
 *
 * Why not a Map: the window holds up to 200,000 ids, and a Map lookup walks bucket chains through
 * string objects spread over the old generation; in a W1 profile the window's Map took 10-13 % of
 * the broker's main thread (docs/benchmarks.md). Here a lookup of a fresh id (the common case)
 * reads a run of adjacent Uint32s, and strings are compared only when the 32-bit hashes are equal.
 *
 * The hash is seeded per process, so a producer cannot choose ids that collide here on purpose.
 */

const EMPTY = -1;
const SEED = randomBytes(4).readUInt32LE(0);

/** FNV-1a over UTF-16 code units with a murmur3 finaliser (the low bits index the table). */
export function hashId(id: string): number {
  let h = (0x811c9dc5 ^ SEED) >>> 0;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class IdTable {
  private readonly hashes: Uint32Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private count = 0;

  /**
   * `maxEntries`: most ids held at once (the caller deletes before it adds beyond it).
   * `idOf(value)`: the id a value was stored under (the caller keeps the strings).
   */
  constructor(
    readonly maxEntries: number,
    private readonly idOf: (value: number) => string | undefined,
  ) {
    let capacity = 8;
    while (capacity < maxEntries * 2) capacity *= 2;
    this.hashes = new Uint32Array(capacity);
    this.values = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The value stored under `id`, or -1. */
  get(id: string, hash: number): number {
    for (let pos = hash & this.mask; ; pos = (pos + 1) & this.mask) {
      const value = this.values[pos] as number;
      if (value === EMPTY) return EMPTY;
      if (this.hashes[pos] === hash && this.idOf(value) === id) return value;
    }
  }

  /** Stores `value` under `id`, replacing what `id` held (the replaced value is no longer in the table). */
  set(id: string, hash: number, value: number): void {
    for (let pos = hash & this.mask; ; pos = (pos + 1) & this.mask) {
      const held = this.values[pos] as number;
      if (held === EMPTY) {
        if (this.count >= this.maxEntries) throw new RangeError(`IdTable holds ${this.maxEntries} ids`);
        this.hashes[pos] = hash;
        this.values[pos] = value;
        this.count++;
        return;
      }
      if (this.hashes[pos] === hash && this.idOf(held) === id) {
        this.values[pos] = value;
        return;
      }
    }
  }

  /** Removes `value` (stored under an id of hash `hash`); nothing when it is not in the table. */
  delete(hash: number, value: number): void {
    for (let pos = hash & this.mask; ; pos = (pos + 1) & this.mask) {
      const held = this.values[pos] as number;
      if (held === EMPTY) return;
      if (held === value) {
        this.deleteAt(pos);
        return;
      }
    }
  }

  /** Backward shift: later entries of the run move into the hole unless they would pass their home position. */
  private deleteAt(hole: number): void {
    this.count--;
    let i = hole;
    let j = hole;
    for (;;) {
      this.values[i] = EMPTY;
      for (;;) {
        j = (j + 1) & this.mask;
        if (this.values[j] === EMPTY) return;
        const home = (this.hashes[j] as number) & this.mask;
        // The entry at j stays when its home lies cyclically in (i, j].
        const stays = i <= j ? i < home && home <= j : i < home || home <= j;
        if (!stays) break;
      }
      this.hashes[i] = this.hashes[j] as number;
      this.values[i] = this.values[j] as number;
      i = j;
    }
  }
}
