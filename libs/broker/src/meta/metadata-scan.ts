import type { StoreMetadata } from '../store-port';

/** Entries read from LevelDB per page when walking a whole namespace. */
const SCAN_PAGE_ENTRIES = 4_096;

/**
 * Visits every entry of a namespace in key order, a page at a time, so a namespace of millions of
 * entries (pending delayed messages) is never held in memory at once.
 */
export async function scanNamespace(
  metadata: StoreMetadata,
  namespace: string,
  /** Return false to stop early. */
  visit: (key: Buffer, value: Buffer) => boolean | void,
  range: { from?: Buffer; to?: Buffer } = {},
): Promise<number> {
  let from = range.from;
  let seen = 0;
  for (;;) {
    const page = await metadata.list(namespace, { ...(from ? { from } : {}), ...(range.to ? { to: range.to } : {}), limit: SCAN_PAGE_ENTRIES });
    for (const e of page) {
      seen++;
      if (visit(e.key, e.value) === false) return seen;
    }
    if (page.length < SCAN_PAGE_ENTRIES) return seen;
    from = Buffer.concat([(page[page.length - 1] as { key: Buffer }).key, Buffer.from([0])]); // the next key after the last
  }
}
