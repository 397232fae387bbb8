import * as net from 'node:net';

/**
 * A TCP proxy on loopback standing in for the network between two processes. 'forward' pipes
 * bytes; 'blackhole' keeps every connection open but drops what crosses it (a partition: nothing
 * arrives, nobody is told); healing forwards again on new connections (the old ones stay dead, as
 * after a real partition the peers find out by their own timeouts).
 */
export class TcpProxy {
  private server!: net.Server;
  private mode: 'forward' | 'blackhole' = 'forward';
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(targetHostPort: string): Promise<TcpProxy> {
    const i = targetHostPort.lastIndexOf(':');
    const p = new TcpProxy({ host: targetHostPort.slice(0, i), port: Number(targetHostPort.slice(i + 1)) });
    p.server = net.createServer((client) => p.accept(client));
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
    p.port = (p.server.address() as net.AddressInfo).port;
    return p;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  partition(): void {
    this.mode = 'blackhole';
    // Existing connections stop carrying bytes: unpipe and swallow.
    for (const s of this.sockets) {
      s.unpipe();
      s.removeAllListeners('data');
      s.on('data', () => undefined);
    }
  }

  heal(): void {
    this.mode = 'forward';
    for (const s of this.sockets) s.destroy(); // dead connections are found dead, as after a real partition
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    if (this.mode === 'blackhole') {
      client.on('data', () => undefined);
      return;
    }
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(upstream);
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      if (this.mode === 'forward') client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => {
      if (this.mode === 'forward') upstream.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
