import express, { type Express } from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { captureRawBody, RESPONSE_HEADER, serviceAuth } from '../src/express.js';
import { type ServiceVerifierOptions, signRequest } from '../src/index.js';
import { runnerVerifier } from './helpers.js';

const BODY = '{"tool":"sed","args":["s/a/b/"]}';
let ctx: Awaited<ReturnType<typeof runnerVerifier>>;
let app: Express;

function runnerApp(
  verifier: typeof ctx.verifier,
  parser = express.json({ verify: captureRawBody }),
) {
  const runner = express();
  runner.post('/jobs', parser, serviceAuth(verifier), (req, res) => {
    res.status(201).json({ by: req.servicePeer?.name, tool: (req.body as { tool?: string }).tool });
  });
  runner.get('/jobs/:id', serviceAuth(verifier), (req, res) => {
    res.write('streamed ');
    res.end(req.params.id);
  });
  return runner;
}

async function sign(path = '/jobs', body = BODY, method = 'POST') {
  return signRequest(ctx.gateway, {
    audience: 'job-runner',
    method,
    path,
    body,
    now: ctx.clock.now,
  });
}

beforeEach(async () => {
  ctx = await runnerVerifier();
  app = runnerApp(ctx.verifier);
});

describe('serviceAuth', () => {
  it('lets a signed call through with the peer on the request', async () => {
    const signed = await sign();
    const res = await request(app)
      .post('/jobs')
      .set('authorization', signed.authorization)
      .set('content-type', 'application/json')
      .send(BODY);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ by: 'gateway', tool: 'sed' });
    expect(res.headers[RESPONSE_HEADER]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses a replay of a captured call', async () => {
    const signed = await sign();
    const send = () =>
      request(app).post('/jobs').set('authorization', signed.authorization).type('json').send(BODY);
    expect((await send()).status).toBe(201);
    const replay = await send();
    expect(replay.status).toBe(401);
    expect(ctx.events.at(-1)).toMatchObject({ code: 'ERR_SERVICE_AUTH_REPLAY' });
  });

  it('answers every failure with the same 401', async () => {
    const good = await sign();
    const attempts = [
      request(app).post('/jobs').type('json').send(BODY),
      request(app).post('/jobs').set('authorization', 'Bearer a.b.c').type('json').send(BODY),
      request(app)
        .post('/jobs')
        .set('authorization', `Bearer ${'x'.repeat(9000)}`)
        .type('json')
        .send(BODY),
      request(app)
        .post('/jobs')
        .set('authorization', good.authorization)
        .type('json')
        .send('{"tool":"rm"}'),
      request(app)
        .post('/jobs?x=1')
        .set('authorization', good.authorization)
        .type('json')
        .send(BODY),
    ];
    const answers = await Promise.all(attempts);
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="galaxy-service", error="invalid_token"',
      );
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toBe('{"error":"unauthorized"}');
      expect(res.headers[RESPONSE_HEADER]).toBeUndefined();
    }
    const codes = ctx.events
      .filter((e) => e.type === 'service.rejected')
      .map((e) => e.code)
      .sort();
    expect(codes).toEqual([
      'ERR_SERVICE_AUTH_BINDING',
      'ERR_SERVICE_AUTH_BINDING',
      'ERR_SERVICE_AUTH_MALFORMED',
      'ERR_SERVICE_AUTH_MALFORMED',
      'ERR_SERVICE_AUTH_TOO_LARGE',
    ]);
  });

  it('refuses a body the parser did not capture', async () => {
    const noParser = express();
    noParser.post('/jobs', serviceAuth(ctx.verifier), (_req, res) => res.send('ran'));
    const signed = await sign();
    const res = await request(noParser)
      .post('/jobs')
      .set('authorization', signed.authorization)
      .type('json')
      .send(BODY);
    expect(res.status).toBe(401);
    expect(ctx.events.at(-1)).toMatchObject({ code: 'ERR_SERVICE_AUTH_BODY' });
  });

  it('refuses a body of a type the JSON parser skipped', async () => {
    const signed = await sign();
    const res = await request(app)
      .post('/jobs')
      .set('authorization', signed.authorization)
      .type('text')
      .send(BODY);
    expect(res.status).toBe(401);
    expect(ctx.events.at(-1)).toMatchObject({ code: 'ERR_SERVICE_AUTH_BODY' });
  });

  it('works behind express.raw', async () => {
    const raw = runnerApp(ctx.verifier, express.raw({ type: '*/*' }));
    const signed = await sign();
    const res = await request(raw)
      .post('/jobs')
      .set('authorization', signed.authorization)
      .type('json')
      .send(BODY);
    expect(res.status).toBe(201);
    expect(res.body.by).toBe('gateway');
  });

  it('binds a body-less GET to the empty digest', async () => {
    const signed = await sign('/jobs/7', '', 'GET');
    const res = await request(app).get('/jobs/7').set('authorization', signed.authorization);
    expect(res.status).toBe(200);
    expect(res.text).toBe('streamed 7');
  });

  it('reports a streamed answer it could not sign', async () => {
    const signed = await sign('/jobs/7', '', 'GET');
    const res = await request(app).get('/jobs/7').set('authorization', signed.authorization);
    expect(res.headers[RESPONSE_HEADER]).toBeUndefined();
    expect(ctx.events.at(-1)).toMatchObject({ type: 'service.response-unsigned', peer: 'gateway' });
  });

  it('fails closed when the replay store fails', async () => {
    const failing = {
      ...ctx.store,
      setIfAbsent: async () => {
        throw new Error('redis down');
      },
    } as unknown as ServiceVerifierOptions['store'];
    const broken = await runnerVerifier({ store: failing });
    ctx = broken;
    const signed = await sign();
    const res = await request(runnerApp(broken.verifier))
      .post('/jobs')
      .set('authorization', signed.authorization)
      .type('json')
      .send(BODY);
    expect(res.status).toBe(401);
    expect(broken.events.at(-1)).toMatchObject({ code: 'ERR_SERVICE_AUTH_STORE' });
  });

  it('refuses a route the peer may not call', async () => {
    const admin = express();
    admin.delete('/jobs/:id', serviceAuth(ctx.verifier), (_req, res) => res.send('deleted'));
    const signed = await sign('/jobs/7', '', 'DELETE');
    const res = await request(admin).delete('/jobs/7').set('authorization', signed.authorization);
    expect(res.status).toBe(401);
    expect(ctx.events.at(-1)).toMatchObject({ code: 'ERR_SERVICE_AUTH_ROUTE', peer: 'gateway' });
  });
});
