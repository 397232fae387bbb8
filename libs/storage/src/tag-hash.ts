/**
 * 32-bit FNV-1a over the tag's UTF-16 code units. The consume queue stores it so a tag filter can
 * skip entries without reading the log; equal hashes are confirmed against the record's tag by the
 * reader, so collisions cost a read, never a wrong delivery. An empty tag hashes to 0.
 */
export function tagHash(tag: string | undefined): number {
  if (!tag) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < tag.length; i++) {
    h ^= tag.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1; // 0 is reserved for "no tag"
}
