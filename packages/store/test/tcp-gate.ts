import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP relay in front of Redis that can stop passing bytes, so a test can show
 * what happens when Redis hangs (connected but silent) without pausing the process.
 */
export class TcpGate {
  private open = true;
  private readonly sockets = new Set<Socket>();
  private held: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpGate> {
    let gate: TcpGate | undefined;
    const server = createServer((client) => gate?.relay(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    gate = new TcpGate(server, address.port);
    return gate;
  }

  /** Stops relaying bytes in both directions; connections stay open, bytes are kept. */
  hold(): void {
    this.open = false;
  }

  /** Relays again, starting with the bytes held back. */
  release(): void {
    this.open = true;
    for (const send of this.held) send();
    this.held = [];
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private relay(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      from.on('data', (chunk) => {
        if (this.open) to.write(chunk);
        else this.held.push(() => to.write(chunk));
      });
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
    }
  }
}
