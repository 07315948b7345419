import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createGatewayApp } from '../src/app.js';
import { resolveGatewayConfig } from '../src/config.js';
import type { SecurityEvent } from '../src/events.js';

const wrong = { username: 'ben', password: 'not-bens-password' };

function gateway(trustProxy?: string) {
  const events: SecurityEvent[] = [];
  const onEvent = (event: SecurityEvent) => void events.push(event);
  const config = resolveGatewayConfig({ jobRunnerUrl: 'http://127.0.0.1:9', trustProxy });
  const app = createGatewayApp({ config, onEvent });
  const counted = () =>
    events.filter((e) => e.type === 'auth.failure').map((e) => (e as { address?: string }).address);

  return { app, counted };
}

describe('gateway trustProxy', () => {
  it('counts failed logins per client address named by the trusted ingress', async () => {
    const { app, counted } = gateway('loopback');
    await request(app).post('/api/login').set('x-forwarded-for', '203.0.113.7').send(wrong);
    await request(app).post('/api/login').set('x-forwarded-for', '198.51.100.9').send(wrong);

    expect(counted()).toEqual(['203.0.113.7', '198.51.100.9']);
  });

  it('ignores X-Forwarded-For without a named proxy: no client picks its address', async () => {
    const { app, counted } = gateway();
    await request(app).post('/api/login').set('x-forwarded-for', '203.0.113.7').send(wrong);

    expect(counted()).toEqual(['127.0.0.1']);
  });
});
