import { RedisServer, redisServerInstalled } from '../support/redis-server.js';

// One Redis for the whole run, unless .ci/run (or the developer) already gave one.
// Suites that stop Redis on purpose start their own with RedisServer.start().
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.GALAXY_HARDEN_REDIS_URL) return async () => {};
  if (!redisServerInstalled()) {
    if (process.env.CI)
      throw new Error('CI needs redis-server on the PATH: apt-get install redis-server');
    process.stderr.write(
      'redis-server not found: Redis suites will not run (apt-get install redis-server)\n',
    );
    return async () => {};
  }
  const server = await RedisServer.start();
  process.env.GALAXY_HARDEN_REDIS_URL = server.url;
  return () => server.close();
}
