// One gateway replica for the cross-process test: the login limiter on a Redis store,
// a fixed password, and a line on stdout with the port once it listens on loopback.
import { loginLimiter } from '@galaxy-harden/auth-limit/express';
import { createRedisStore } from '@galaxy-harden/store';
import express from 'express';

const store = createRedisStore({
  url: process.env.REDIS_URL,
  prefix: process.env.REDIS_PREFIX,
  maxReconnectDelayMs: 50,
});
const app = express();
app.set('trust proxy', 'loopback');
app.post(
  '/login',
  express.json(),
  loginLimiter({ app, store, accountFrom: (req) => req.body?.username }),
  async (req, res) => {
    const ok = req.body?.password === 'secret';
    await (ok ? req.authLimit?.recordSuccess() : req.authLimit?.recordFailure());
    res.status(ok ? 200 : 401).json({ ok, replica: process.pid });
  },
);
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  store.close().finally(() => process.exit(0));
});
