/**
 * Reused buffers for a pull's two large allocations: the commit-log bytes it reads and the
 * response body it writes. Why: every Buffer above 4 KiB is memory outside V8's heap, and V8
 * starts a full mark-compact each time 64 MiB more of it was allocated since the last one
 * ("external memory pressure"). A broker serving a consumer that catches up allocates ~0.5 MiB
 * per 256-message pull, so without reuse it ran a mark-compact every ~0.4 s (8 in a 3-second W3
 * read, seen with --trace-gc --trace-incremental-marking) and spent ~3 us per message in GC threads.
 *
 * Only whole chunks are pooled: `take` hands out a view of a free chunk when the size fits one
 * (a fresh allocation otherwise), `give` takes the view back once nothing reads it any more. A
 * buffer that is never given back is simply collected; the pool keeps no reference to lent chunks.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  constructor(
    /** Size of each pooled chunk; larger requests are allocated outside the pool. */
    readonly chunkBytes: number,
    /** Free chunks kept at most (chunkBytes each); the rest are left to the GC. */
    readonly maxFreeChunks: number,
  ) {}

  /** A buffer of `bytes` bytes, uninitialised (like Buffer.allocUnsafe). */
  take(bytes: number): Buffer {
    if (bytes > this.chunkBytes) return Buffer.allocUnsafe(bytes);
    return Buffer.from(this.takeChunk(), 0, bytes);
  }

  /** Returns a buffer from take(); the caller must not touch it afterwards. Idempotent. */
  give(buf: Buffer): void {
    if (buf.byteOffset === 0) this.giveChunk(buf.buffer as ArrayBuffer);
  }

  takeChunk(): ArrayBuffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes).buffer;
  }

  giveChunk(chunk: ArrayBuffer): void {
    if (chunk.byteLength !== this.chunkBytes) return; // not one of ours
    if (this.free.length >= this.maxFreeChunks || this.free.includes(chunk)) return;
    this.free.push(chunk);
  }

  /** A lease: buffers allocated through it share chunks and all go back with release(). */
  lease(): BufferLease {
    return new BufferLease(this);
  }

  get freeChunks(): number {
    return this.free.length;
  }
}

/**
 * Buffers for one task (a pull's reads), cut one after another from pooled chunks: a pull reads
 * its queue's records in several runs (other queues' records lie between them), so whole chunks
 * per run would hold several times what the task uses.
 */
export class BufferLease {
  private chunks: ArrayBuffer[] = [];
  /** Next free byte in the newest chunk. */
  private used = 0;

  constructor(private readonly pool: BufferPool) {}

  readonly allocate = (bytes: number): Buffer => {
    if (bytes > this.pool.chunkBytes) return Buffer.allocUnsafe(bytes);
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.used + bytes > this.pool.chunkBytes) {
      chunk = this.pool.takeChunk();
      this.chunks.push(chunk);
      this.used = 0;
    }
    const buf = Buffer.from(chunk, this.used, bytes);
    this.used += bytes;
    return buf;
  };

  /** Gives every chunk back: nothing allocated through this lease may be read afterwards. */
  release(): void {
    for (const chunk of this.chunks) this.pool.giveChunk(chunk);
    this.chunks = [];
    this.used = 0;
  }
}
