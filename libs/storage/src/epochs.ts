import * as fs from 'node:fs';
import * as path from 'node:path';
import { StorageError, StorageErrorCode } from './errors';
import { fsyncDir } from './segment';

/** One master term: `epoch` wrote the log from `startOffset` up to the next entry's startOffset. */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

const EPOCH_FILE = 'epoch';
const TEMP_SUFFIX = '.tmp';
const LINE = /^(\d{1,16}) (\d{1,16})$/;

/*
 * Epoch file (RocketMQ's epoch checkpoint): which master term wrote which part of the log, so a
 * replica can find where its tail diverged from a new master's. Text, <rootDir>/epoch:
 *
 *   <epoch> <startOffset>\n         decimal, one space, every line ends in '\n'
 *   ...
 *   e.g.  "1 0\n2 1048576\n5 7340032\n"
 *
 * Epochs strictly ascend, startOffsets never descend (an epoch that wrote nothing is followed by
 * one with the same startOffset). No file, or an empty one, is an empty list. The file is only
 * ever replaced whole (temp file, fsync, rename, fsync the directory), so a crash leaves the old
 * or the new list; anything else found at open is damage, and the store refuses to open.
 */
export function parseEpochs(text: string, file: string): EpochEntry[] {
  const out: EpochEntry[] = [];
  if (text === '') return out;
  if (!text.endsWith('\n')) corrupt(file, text.split('\n').length, 'the last line does not end in a newline (torn write?)');
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, i) => {
    const m = LINE.exec(line);
    const epoch = Number(m?.[1]);
    const startOffset = Number(m?.[2]);
    if (!m || !Number.isSafeInteger(epoch) || !Number.isSafeInteger(startOffset) || epoch < 1) {
      corrupt(file, i + 1, `expected "<epoch> <startOffset>", got ${JSON.stringify(line.slice(0, 64))}`);
    }
    const prev = out[out.length - 1];
    if (prev && (epoch <= prev.epoch || startOffset < prev.startOffset)) {
      corrupt(file, i + 1, `entry ${epoch} ${startOffset} does not follow ${prev.epoch} ${prev.startOffset}`);
    }
    out.push({ epoch, startOffset });
  });
  return out;
}

export function formatEpochs(entries: readonly EpochEntry[]): string {
  return entries.map((e) => `${e.epoch} ${e.startOffset}\n`).join('');
}

function corrupt(file: string, line: number, why: string): never {
  throw new StorageError(StorageErrorCode.CORRUPT_RECORD, `epoch file ${file} line ${line}: ${why}; refusing to open (restore or remove the file)`);
}

function illegal(message: string): never {
  throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, message);
}

/** The epoch list in memory, written through to <rootDir>/epoch; changes run one at a time. */
export class EpochFile {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private list: EpochEntry[],
    /** The log's current end offset. */
    private readonly logEnd: () => number,
  ) {}

  /** Reads the file (missing: empty list); a malformed file throws CORRUPT_RECORD. */
  static async load(rootDir: string, logEnd: () => number): Promise<EpochFile> {
    const file = path.join(rootDir, EPOCH_FILE);
    let text = '';
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StorageError(StorageErrorCode.IO_ERROR, `cannot read epoch file ${file}: ${(err as Error).message}`, { cause: err });
      }
    }
    await fs.promises.rm(file + TEMP_SUFFIX, { force: true }); // a replacement a crash interrupted
    return new EpochFile(file, parseEpochs(text, file), logEnd);
  }

  get entries(): readonly EpochEntry[] {
    return this.list.map((e) => ({ ...e }));
  }

  /** Appends {epoch, startOffset}: epoch above the last, startOffset in [last startOffset, log end]. */
  append(epoch: number, startOffset: number): Promise<void> {
    return this.serial(async () => {
      if (!Number.isSafeInteger(epoch) || epoch < 1) illegal(`epoch must be a positive safe integer, got ${epoch}`);
      if (!Number.isSafeInteger(startOffset) || startOffset < 0) illegal(`startOffset must be a non-negative safe integer, got ${startOffset}`);
      const last = this.list[this.list.length - 1];
      if (last && epoch <= last.epoch) illegal(`epoch ${epoch} must be greater than the last epoch ${last.epoch}`);
      if (last && startOffset < last.startOffset) illegal(`startOffset ${startOffset} is below epoch ${last.epoch}'s start ${last.startOffset}`);
      const end = this.logEnd();
      if (startOffset > end) illegal(`startOffset ${startOffset} is past the log end ${end}`);
      await this.replace([...this.list, { epoch, startOffset }]);
    });
  }

  /**
   * A master's new term after each open: none yet -> {1, end}; the last term wrote nothing
   * (starts at the end) -> it again, unchanged; otherwise -> {last + 1, end}.
   */
  beginMaster(): Promise<EpochEntry> {
    return this.serial(async () => {
      const end = this.logEnd();
      const last = this.list[this.list.length - 1];
      if (last && last.startOffset === end) return { ...last };
      const next = { epoch: last ? last.epoch + 1 : 1, startOffset: end };
      await this.replace([...this.list, next]);
      return { ...next };
    });
  }

  /** Drops the entries that start past `offset` (the log was cut there). */
  dropAfter(offset: number): Promise<void> {
    return this.serial(async () => {
      const kept = this.list.filter((e) => e.startOffset <= offset);
      if (kept.length !== this.list.length) await this.replace(kept);
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Writes the new list atomically; memory follows only once it is on disk. */
  private async replace(next: EpochEntry[]): Promise<void> {
    const temp = this.file + TEMP_SUFFIX;
    const fh = await fs.promises.open(temp, 'w');
    try {
      await fh.writeFile(formatEpochs(next), 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(temp, this.file);
    await fsyncDir(path.dirname(this.file));
    this.list = next;
  }
}
