import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { pollFiles } from '@orbitmq/protocol';
import { READ_GATE, ReadGate } from './read-gate';

/**
 * TLS on a server port, RocketMQ's way (`tls.server.mode`): `disabled`, `permissive` (plain and TLS
 * on the same port, for migrating clients one by one) or `enforcing` (TLS only). The listener
 * reads each connection's first byte: 0x16 opens a TLS handshake (a ClientHello record), anything
 * else is plaintext. After the handshake the decrypted stream is sniffed again (HTTP/2 or 4.x
 * remoting), so one port serves every combination.
 */
export type TlsMode = 'disabled' | 'permissive' | 'enforcing';

export interface ServerTls {
  mode: TlsMode;
  certFile: string;
  keyFile: string;
  /** CA bundle that client certificates must chain to (mutual TLS). */
  trustCertFile?: string;
  /** Refuse clients without a certificate signed by trustCertFile. */
  requireClientCert: boolean;
}

/** A TLS record's first byte: the handshake content type (ClientHello). */
const TLS_HANDSHAKE_RECORD = 0x16;

/** How often the certificate files' modification times are looked at. */
export const TLS_FILE_POLL_MS = 1_000;

export function isTlsHandshake(firstChunk: Buffer): boolean {
  return firstChunk[0] === TLS_HANDSHAKE_RECORD;
}

/**
 * Terminates TLS for one listener with a secure context made from the files, remade when they
 * change (a renewed certificate serves new connections without a restart; a pair that does not
 * load keeps the previous one and is reported).
 */
export class TlsTerminator {
  private context: tls.SecureContext;
  private readonly files: string[];
  private readonly stopPolling: () => void;

  constructor(
    private readonly config: ServerTls,
    private readonly onReload: (error?: Error) => void = () => undefined,
  ) {
    this.context = TlsTerminator.load(config);
    this.files = [config.certFile, config.keyFile, ...(config.trustCertFile ? [config.trustCertFile] : [])];
    this.stopPolling = pollFiles(this.files, TLS_FILE_POLL_MS, this.reload);
  }

  /** Reads the files; throws with the file named when one is missing or the pair does not load. */
  static load(c: ServerTls): tls.SecureContext {
    const read = (file: string, what: string): Buffer => {
      try {
        return fs.readFileSync(file);
      } catch (e) {
        throw new Error(`cannot read the TLS ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    };
    const cert = read(c.certFile, 'certificate');
    const key = read(c.keyFile, 'key');
    const ca = c.trustCertFile ? read(c.trustCertFile, 'trust certificate') : undefined;
    try {
      return tls.createSecureContext({ cert, key, ...(ca ? { ca } : {}) });
    } catch (e) {
      throw new Error(`the TLS certificate ${c.certFile} and key ${c.keyFile} do not load: ${(e as Error).message}`);
    }
  }

  private readonly reload = (): void => {
    try {
      this.context = TlsTerminator.load(this.config);
      this.onReload();
    } catch (e) {
      this.onReload(e as Error);
    }
  };

  /**
   * Starts the server side of a handshake on `socket`, whose first bytes (`firstChunk`) were
   * already read. Resolves with the encrypted socket once the handshake is done; rejects on a
   * failed handshake (the socket is destroyed). `gated`: TLS reads through a ReadGate, so that the
   * read brakes can hold the connection (its peer's IP keeps failing authentication).
   */
  accept(socket: net.Socket, firstChunk: Buffer, gated = false): Promise<tls.TLSSocket> {
    const gate = gated ? new ReadGate(socket, firstChunk) : undefined;
    if (!gate) {
      socket.pause();
      socket.unshift(firstChunk);
    }
    const secure = new tls.TLSSocket(gate ?? socket, {
      isServer: true,
      secureContext: this.context,
      // gRPC clients insist on h2 by ALPN; 4.x clients offer none, and then none is chosen.
      ALPNProtocols: ['h2'],
      requestCert: this.config.requireClientCert,
      rejectUnauthorized: this.config.requireClientCert,
    });
    return new Promise((resolve, reject) => {
      const fail = (e: Error): void => {
        secure.destroy();
        gate?.destroy();
        socket.destroy();
        reject(e);
      };
      secure.once('secure', () => {
        secure.off('error', fail);
        // A TLSSocket made around an accepted socket (not by tls.Server) keeps secureConnecting
        // set after its handshake; Node's http2 would then wait for a 'secureConnect' that never
        // comes before it sets the session up (and fail on the first buffered bytes).
        (secure as tls.TLSSocket & { secureConnecting: boolean }).secureConnecting = false;
        if (gate) exposeGate(secure, gate);
        resolve(secure);
      });
      secure.once('error', fail);
      secure.once('close', () => reject(new Error('closed during the TLS handshake')));
    });
  }

  close(): void {
    this.stopPolling();
  }
}

/**
 * A TLS socket over a ReadGate sees no peer of its own (its stream is JS): it is given the raw
 * socket's, which grpc-js reports as the call's peer (the ACL's remote address), and the gate, which
 * the read brakes stop and start.
 */
function exposeGate(secure: tls.TLSSocket, gate: ReadGate): void {
  const peer = gate.peer;
  for (const [name, value] of Object.entries(peer)) Object.defineProperty(secure, name, { value, configurable: true });
  Object.defineProperty(secure, READ_GATE, { value: gate });
}
