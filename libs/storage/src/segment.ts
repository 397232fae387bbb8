import * as fs from 'node:fs';
import * as path from 'node:path';
import { StorageError, StorageErrorCode } from './errors';

/** Segment files are named by their 20-digit zero-padded start offset, as RocketMQ names them. */
function segmentFileName(startOffset: number): string {
  return String(startOffset).padStart(20, '0');
}

export const SEGMENT_NAME = /^\d{20}$/;

function ioError(what: string, file: string, err: unknown): StorageError {
  const code = (err as NodeJS.ErrnoException).code === 'ENOSPC' ? StorageErrorCode.DISK_FULL : StorageErrorCode.IO_ERROR;
  return new StorageError(code, `${what} ${file} failed: ${(err as Error).message}`, { cause: err });
}

/**
 * One commit-log segment: a file opened read-write, written only by positional writes (never
 * O_APPEND, which would ignore the position). Callback fs APIs avoid FileHandle's per-call
 * promise plumbing on the hot path.
 */
export class Segment {
  dirty = false;
  private closed = false;

  private constructor(
    readonly startOffset: number,
    readonly file: string,
    private readonly fd: number,
  ) {}

  static async open(dir: string, startOffset: number, create: boolean): Promise<Segment> {
    const file = path.join(dir, segmentFileName(startOffset));
    try {
      const fd = await new Promise<number>((resolve, reject) => fs.open(file, create ? 'wx+' : 'r+', (err, fd) => (err ? reject(err) : resolve(fd))));
      return new Segment(startOffset, file, fd);
    } catch (err) {
      throw ioError(create ? 'create segment' : 'open segment', file, err);
    }
  }

  write(buf: Buffer, length: number, position: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const writeFrom = (done: number): void => {
        fs.write(this.fd, buf, done, length - done, position + done, (err, n) => {
          if (err) return reject(ioError('write', this.file, err));
          if (done + n < length) return writeFrom(done + n);
          this.dirty = true;
          resolve();
        });
      };
      writeFrom(0);
    });
  }

  /** Reads up to `length` bytes; fewer only at end of file. */
  read(buf: Buffer, offsetInBuf: number, length: number, position: number): Promise<number> {
    return new Promise((resolve, reject) => {
      let total = 0;
      const readFrom = (): void => {
        fs.read(this.fd, buf, offsetInBuf + total, length - total, position + total, (err, n) => {
          if (err) return reject(ioError('read', this.file, err));
          total += n;
          if (n === 0 || total >= length) return resolve(total);
          readFrom();
        });
      };
      readFrom();
    });
  }

  datasync(): Promise<void> {
    this.dirty = false;
    return new Promise((resolve, reject) =>
      fs.fdatasync(this.fd, (err) => {
        if (err) {
          this.dirty = true;
          return reject(ioError('fdatasync', this.file, err));
        }
        resolve();
      }),
    );
  }

  async size(): Promise<number> {
    return new Promise((resolve, reject) => fs.fstat(this.fd, (err, st) => (err ? reject(ioError('stat', this.file, err)) : resolve(st.size))));
  }

  async mtimeMs(): Promise<number> {
    return new Promise((resolve, reject) => fs.fstat(this.fd, (err, st) => (err ? reject(ioError('stat', this.file, err)) : resolve(st.mtimeMs))));
  }

  async truncate(length: number): Promise<void> {
    await new Promise<void>((resolve, reject) => fs.ftruncate(this.fd, length, (err) => (err ? reject(ioError('truncate', this.file, err)) : resolve())));
    await this.datasync();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve, reject) => fs.close(this.fd, (err) => (err ? reject(err) : resolve())));
  }

  async destroy(): Promise<void> {
    await this.close();
    await fs.promises.rm(this.file, { force: true });
  }
}

/** Makes a directory entry (new or removed file) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
