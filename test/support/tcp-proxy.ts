import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between an instance and PostgreSQL that a test can cut and restore: the network to the database
 * failing, without touching the PostgreSQL server that other sessions share. Cut: every open connection is reset
 * and new ones are closed at once; restored: connections pass again.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly open = new Set<Socket>();
  private readonly upstreams = new Set<Socket>();
  private cut = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((client) => {
      if (this.cut) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      this.upstreams.add(upstream);
      upstream.on('close', () => this.upstreams.delete(upstream));
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.open.add(a);
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.open.delete(a);
          b.destroy();
        });
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** The local ports of the connections to the target now open: PostgreSQL's `pg_stat_activity.client_port`. */
  upstreamPorts(): number[] {
    return [...this.upstreams].map((socket) => socket.localPort).filter((port): port is number => port !== undefined);
  }

  /** The network fails: connections reset, new ones refused. */
  cutOff(): void {
    this.cut = true;
    for (const socket of this.open) socket.resetAndDestroy();
  }

  restore(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.cutOff();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
