import express, { type NextFunction, type Request, type Response } from 'express';
import { MemorySessions, mfaExpress } from '../src/express.js';
import type { Harness } from './support.js';

const PASSWORDS: Record<string, { password: string; roles: string[] }> = {
  ana: { password: 'correct horse', roles: ['user'] },
  root: { password: 'battery staple', roles: ['admin'] },
};

/** A small app the way a gateway wires the package: password login, then the guards. */
export function testApp(h: Harness) {
  const sessions = new MemorySessions({ secure: false, now: h.clock.now });
  const gate = mfaExpress({
    mfa: h.mfa,
    session: sessions,
    pages: { login: '/login', secondStep: '/second-step', enrol: '/enrol', stepUp: '/step-up' },
  });
  const app = express();
  app.set('trust proxy', true);
  app.use(express.json());
  app.post('/login', async (req, res) => {
    const user = PASSWORDS[req.body?.user];
    if (!user || user.password !== req.body?.password)
      return void res.status(401).json({ error: 'bad' });
    await sessions.set(req, res, {
      userId: req.body.user,
      roles: user.roles,
      passwordAt: h.clock.ms,
    });
    res.json({ ok: true });
  });
  app.use('/mfa', gate.routes);
  app.get(
    '/api/jobs',
    gate.requireMfa,
    (_req, res) => void res.json({ jobs: [], grace: res.locals.mfaGraceEndsAt }),
  );
  app.post('/api/jobs', gate.requireMfa, (_req, res) => void res.status(201).json({ id: 1 }));
  app.get('/dashboard', gate.requireMfa, (_req, res) => void res.send('<h1>Dashboard</h1>'));
  app.post(
    '/admin/purge',
    gate.requireFreshMfa({ maxAgeSeconds: 300 }),
    (_req, res) => void res.json({ purged: true }),
  );
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: 'internal', code: (err as { code?: string }).code });
  });

  return { app, sessions, gate };
}

/** The session cookie (name=value) from a response. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  const cookie = cookies.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('gh-session='));
  if (!cookie) throw new Error('no session cookie set');

  return cookie;
}
