import { createClient } from 'redis';

/**
 * Counts the commands clients send to a Redis server while `action` runs, through MONITOR.
 * Commands a Lua script runs (`[0 lua]`) are not round trips and are left out.
 */
export async function commandsDuring(url: string, action: () => Promise<unknown>) {
  const monitor = createClient({ url });
  const marker = createClient({ url });
  await Promise.all([monitor.connect(), marker.connect()]);
  const lines: string[] = [];
  await monitor.monitor((line) => lines.push(String(line)));
  await action();
  const end = `end-${Math.random()}`;
  await marker.echo(end);
  for (let i = 0; i < 500 && !lines.some((l) => l.includes(end)); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all([monitor.close(), marker.close()]);
  const upTo = lines.findIndex((l) => l.includes(end));

  return lines.slice(0, upTo).filter((line) => !line.includes(' lua]'));
}
