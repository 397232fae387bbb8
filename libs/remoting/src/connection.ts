// One remoting connection over a socket, used by both ends: it answers the peer's requests with a
// handler and correlates its own requests with the peer's responses by opaque. The connection is
// symmetric because RocketMQ brokers send requests (CHECK_TRANSACTION_STATE, NOTIFY_CONSUMER_IDS_CHANGED)
// down the client's own connection.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { RemotingFlag, ResponseCode } from './codes';
import { createResponse, isOneway, isResponse, nextOpaque, type RemotingCommand, type SerializeTypeName } from './command';
import { RemotingConnectError, RemotingProtocolError, RemotingTimeoutError } from './errors';
import { encodeFrameHead, FrameDecoder } from './frame-codec';
import { RequestBrake, type SharedTurn } from './request-brake';

/** Answers a request: a response to send, or undefined for none (oneway requests never get one). */
export type RequestHandler = (cmd: RemotingCommand, conn: RemotingConnection) => Promise<RemotingCommand | undefined> | RemotingCommand | undefined;

/** Header encoding of responses: fixed, or 'mirror' to answer in the request's encoding (ali-ons reads JSON only). */
export type ResponseSerializeType = SerializeTypeName | 'mirror';

export interface RemotingConnectionOptions {
  handler?: RequestHandler;
  responseSerializeType?: ResponseSerializeType;
  maxFrameBytes?: number;
  /** Requests of ours awaiting a response; more are refused (RocketMQ's async semaphore default). */
  maxPendingRequests?: number;
  /** Called before the connection is destroyed for a bad frame. */
  onProtocolError?: (error: RemotingProtocolError, conn: RemotingConnection) => void;
}

export const DEFAULT_MAX_PENDING_REQUESTS = 65535;

interface Pending {
  resolve(cmd: RemotingCommand): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Events: 'close' (error?: Error) once, when the socket is gone. */
export class RemotingConnection extends EventEmitter {
  /** "ip:port" of the peer, kept after close. */
  readonly remoteAddress: string;
  private readonly decoder: FrameDecoder;
  private readonly pending = new Map<number, Pending>();
  private readonly responseSerializeType: ResponseSerializeType;
  private readonly maxPendingRequests: number;
  private isClosed = false;
  private corked = false;
  private brake: RequestBrake | undefined;
  /** Requests handled through brakes lifted or stopped since (the current brake's count is added on read). */
  private brakedRequestsBefore = 0;

  constructor(
    readonly socket: Socket,
    private readonly options: RemotingConnectionOptions = {},
    firstChunk?: Buffer,
  ) {
    super();
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.decoder = new FrameDecoder({ maxFrameBytes: options.maxFrameBytes });
    this.responseSerializeType = options.responseSerializeType ?? 'mirror';
    this.maxPendingRequests = options.maxPendingRequests ?? DEFAULT_MAX_PENDING_REQUESTS;
    socket.setNoDelay(true);
    // A socket error is always followed by 'close', which reports it.
    let socketError: Error | undefined;
    socket.on('error', (e) => (socketError = e));
    socket.on('close', () => this.finish(socketError));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // Bytes a protocol sniffer already read; after the caller has attached its listeners.
    if (firstChunk && firstChunk.length > 0) process.nextTick(() => this.onData(firstChunk));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Requests of ours awaiting a response. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Whether the peer's requests are read at a braked rate now (see RequestBrake). */
  get braked(): boolean {
    return this.brake !== undefined;
  }

  /** The peer's requests read and waiting for their turn under the brake. */
  get waitingRequests(): number {
    return this.brake?.waitingCount ?? 0;
  }

  /** The peer's requests handled while braked, since the connection opened. */
  get brakedRequests(): number {
    return this.brakedRequestsBefore + (this.brake?.handled ?? 0);
  }

  /**
   * Handles the peer's requests at most callsPerSecond from now on. Responses to ours wait in no
   * queue, but while a request waits nothing is read (a braked peer is one that only fails anyway);
   * `firstAtOnce`: the next request passes at once (a brake at connect). Already braked: unchanged.
   */
  brakeReads(callsPerSecond: number, firstAtOnce = false, shared?: SharedTurn): void {
    if (this.isClosed || this.brake || !(callsPerSecond > 0)) return;
    this.brake = new RequestBrake(callsPerSecond, this.socket, (request) => this.onRequest(request), firstAtOnce, shared);
  }

  /** Lifts the brake: the requests it held are handled now, in order, and reading resumes. */
  releaseReads(): void {
    for (const request of this.liftBrake()) {
      if (this.isClosed) return;
      this.onRequest(request);
    }
  }

  private liftBrake(): RemotingCommand[] {
    const brake = this.brake;
    if (!brake) return [];
    this.brake = undefined;
    const waiting = brake.release();
    this.brakedRequestsBefore += brake.handled;
    return waiting;
  }

  /** Sends a request and resolves with its response, or rejects with RemotingTimeoutError / RemotingConnectError. */
  invoke(cmd: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    if (this.isClosed) return Promise.reject(this.closedError());
    if (this.pending.size >= this.maxPendingRequests) {
      return Promise.reject(new RemotingConnectError('REMOTING_TOO_MANY_PENDING', `${this.pending.size} requests to ${this.remoteAddress} await responses`));
    }
    cmd.flag &= ~(RemotingFlag.RESPONSE | RemotingFlag.ONEWAY);
    while (this.pending.has(cmd.opaque)) cmd.opaque = nextOpaque();
    let head: Buffer;
    try {
      head = encodeFrameHead(cmd);
    } catch (e) {
      return Promise.reject(e);
    }
    const opaque = cmd.opaque;
    return new Promise<RemotingCommand>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(opaque);
        reject(new RemotingTimeoutError(opaque, timeoutMs, this.remoteAddress));
      }, timeoutMs);
      this.pending.set(opaque, { resolve, reject, timer });
      this.write(head, cmd.body);
    });
  }

  /** Sends a request that gets no response. Throws RemotingConnectError when closed. */
  invokeOneway(cmd: RemotingCommand): void {
    cmd.flag = (cmd.flag | RemotingFlag.ONEWAY) & ~RemotingFlag.RESPONSE;
    this.send(cmd);
  }

  /** Writes any command as it is (for example a response produced outside the handler). */
  send(cmd: RemotingCommand): void {
    if (this.isClosed) throw this.closedError();
    this.write(encodeFrameHead(cmd), cmd.body, cmd.releaseBody);
  }

  /** Destroys the socket; pending requests are rejected with REMOTING_CONNECTION_CLOSED. */
  close(error?: Error): void {
    this.finish(error);
    this.socket.destroy();
  }

  private closedError(): RemotingConnectError {
    return new RemotingConnectError('REMOTING_CONNECTION_CLOSED', `connection to ${this.remoteAddress} is closed`);
  }

  private finish(error?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.brake) this.brakedRequestsBefore += this.brake.handled;
    this.brake?.stop();
    this.brake = undefined;
    const closedError = this.closedError();
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(closedError);
    }
    this.pending.clear();
    this.emit('close', error);
  }

  /**
   * Frames written in one tick leave in one corked batch (fewer syscalls for pipelined responses).
   * The body goes out as the caller's buffer (one writev with the head): the caller must not
   * change it afterwards, which no sender here does (bodies are built per command). `release`
   * runs when the socket is done with the body: written, or failed (a destroyed socket calls back
   * with an error).
   */
  private write(head: Buffer, body: Buffer | undefined, release?: () => void): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(head);
    if (body && body.length > 0) this.socket.write(body, release && (() => release()));
    else release?.();
  }

  private readonly uncork = (): void => {
    this.corked = false;
    if (!this.socket.destroyed) this.socket.uncork();
  };

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    let commands: RemotingCommand[];
    try {
      commands = this.decoder.push(chunk);
    } catch (e) {
      const error = e instanceof RemotingProtocolError ? e : new RemotingProtocolError('REMOTING_BAD_FRAME', String(e));
      this.options.onProtocolError?.(error, this);
      this.close(error);
      return;
    }
    for (const cmd of commands) {
      if (this.isClosed) return;
      if (isResponse(cmd)) this.onResponse(cmd);
      else if (this.brake) this.brake.admit(cmd);
      else this.onRequest(cmd);
    }
  }

  private onResponse(cmd: RemotingCommand): void {
    const entry = this.pending.get(cmd.opaque);
    if (!entry) return; // Late (timed out) or unsolicited: dropped, as RocketMQ does.
    this.pending.delete(cmd.opaque);
    clearTimeout(entry.timer);
    entry.resolve(cmd);
  }

  private onRequest(request: RemotingCommand): void {
    const handler = this.options.handler;
    if (!handler) {
      this.respond(request, createResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`));
      return;
    }
    let result: ReturnType<RequestHandler>;
    try {
      result = handler(request, this);
    } catch (e) {
      this.respondError(request, e);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (response) => this.respond(request, response),
        (e: unknown) => this.respondError(request, e),
      );
    } else {
      this.respond(request, result);
    }
  }

  private respondError(request: RemotingCommand, error: unknown): void {
    const remark = error instanceof Error ? error.message : String(error);
    this.respond(request, createResponse(request, ResponseCode.SYSTEM_ERROR, remark));
  }

  private respond(request: RemotingCommand, response: RemotingCommand | undefined): void {
    if (!response) return;
    if (isOneway(request) || this.isClosed) {
      response.releaseBody?.();
      return;
    }
    response.opaque = request.opaque;
    response.flag = (response.flag | RemotingFlag.RESPONSE) & ~RemotingFlag.ONEWAY;
    response.serializeType = this.responseSerializeType === 'mirror' ? request.serializeType : this.responseSerializeType;
    let head: Buffer;
    let body = response.body;
    try {
      head = encodeFrameHead(response);
    } catch (e) {
      // An unencodable response (say a code beyond i16 in a binary header) still answers the request.
      const error = createResponse(request, ResponseCode.SYSTEM_ERROR, `response does not encode: ${(e as Error).message}`);
      head = encodeFrameHead(error);
      body = error.body;
      response.releaseBody?.();
      this.write(head, body);
      return;
    }
    this.write(head, body, response.releaseBody);
  }
}
