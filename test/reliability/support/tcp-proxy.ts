import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in the test process between the product and a server (PostgreSQL), to cut the
 * connection as a restart does without touching the server other tests use. Down, it destroys
 * every open socket and resets each new connection at once (a server that is restarting), and
 * counts those refused, so that a test can bring it back after a number of attempts rather than
 * after some time.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private isUp = true;
  private refusedCount = 0;
  private onRefused: ((count: number) => void) | undefined;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Connections refused since the proxy went down. */
  get refused(): number {
    return this.refusedCount;
  }

  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Cuts every connection; `onRefused` hears of each one refused from now on. */
  down(onRefused?: (count: number) => void): void {
    this.isUp = false;
    this.refusedCount = 0;
    this.onRefused = onRefused;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Lets connections through again. */
  restore(): void {
    this.isUp = true;
    this.onRefused = undefined;
  }

  async close(): Promise<void> {
    this.down();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (!this.isUp) {
      client.destroy();
      this.refusedCount += 1;
      this.onRefused?.(this.refusedCount);
      return;
    }
    const server = createConnection(this.target);
    this.sockets.add(client);
    this.sockets.add(server);
    const end = () => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
    client.pipe(server);
    server.pipe(client);
  }
}
