import * as fs from 'node:fs';

/** What identifies a version of a file (just its path when it cannot be read). */
function versionOf(path: string, stats: fs.Stats | undefined): string {
  return stats ? `${path}@${stats.ino}:${stats.size}:${stats.mtimeMs}` : `${path}@`;
}

/**
 * Calls `onChange` when any of `paths` changes (inode, size or modification time; a rename over
 * the file counts, as editors and certificate renewers save), looking every `pollMs`.
 * Returns a function that stops looking.
 *
 * Why not fs.watchFile: it takes its first look asynchronously, so an edit made right after the
 * watch starts was never reported. The baseline here is taken before this returns.
 */
export function pollFiles(paths: readonly string[], pollMs: number, onChange: () => void): () => void {
  const statNow = (p: string): fs.Stats | undefined => {
    try {
      return fs.statSync(p);
    } catch {
      return undefined;
    }
  };
  let last = paths.map((p) => versionOf(p, statNow(p))).join('|');
  let looking = false;
  const look = async (): Promise<void> => {
    const stats = await Promise.all(paths.map((p) => fs.promises.stat(p).catch(() => undefined)));
    const version = paths.map((p, i) => versionOf(p, stats[i])).join('|');
    if (version === last) return;
    last = version;
    onChange();
  };
  const timer = setInterval(() => {
    if (looking) return;
    looking = true;
    look().finally(() => (looking = false));
  }, pollMs);
  timer.unref(); // never keeps a stopping process alive
  return () => clearInterval(timer);
}
