// The visitors' accounts. Each loop of the mix is a visitor who logs in, mistypes a code once
// and then enters the right one. With a single account, its second factor would be locked
// after ten failed codes (replays count: a second login in the same 30 s step reuses a code)
// and the mix would measure 429s instead of code checks; with VISITOR_USERS accounts taking
// turns, most codes are checked for real. The accounts get scrypt hashes with the demo
// users' parameters, in a file both stacks read, and an authenticator each at set-up.
import { randomBytes, scrypt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { enrol } from './setup-user.mjs';

const DEMO_USERS = new URL('../../examples/gateway/data/users.json', import.meta.url);
const ENROL_AT_ONCE = 4;
const scryptAsync = promisify(scrypt);

/**
 * The demo's users file, and with `LOAD_USERS_FILE` set (in a stack child) the visitors too.
 *
 * @example
 * const users = stackUsers(); // [{ username: 'ana', passwordHash: 'scrypt$...' }, ...]
 */
export function stackUsers() {
  const demo = JSON.parse(readFileSync(DEMO_USERS, 'utf8')).users;
  const file = process.env.LOAD_USERS_FILE;
  if (!file) return demo;
  return [...demo, ...JSON.parse(readFileSync(file, 'utf8'))];
}

async function hashLike(password, model) {
  const [scheme, n, r, p] = model.split('$');
  const salt = randomBytes(16);
  const params = { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 };
  const key = await scryptAsync(password.normalize('NFC'), salt, 32, params);
  return [scheme, n, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Makes `count` visitor accounts with random passwords and writes their hashes (never the
 * passwords) to a private file; `remove()` deletes it.
 *
 * @example
 * const visitors = await makeVisitors(100);
 * visitors.file; visitors.users[0].password; visitors.remove();
 */
export async function makeVisitors(count) {
  const model = JSON.parse(readFileSync(DEMO_USERS, 'utf8')).users[0].passwordHash;
  const users = Array.from({ length: count }, (_, i) => ({
    username: `visitor-${String(i + 1).padStart(3, '0')}`,
    password: randomBytes(12).toString('base64url'),
  }));
  const hashes = await Promise.all(
    users.map(async (u) => ({
      username: u.username,
      passwordHash: await hashLike(u.password, model),
    })),
  );
  const dir = mkdtempSync(join(tmpdir(), 'gh-load-users-'));
  const file = join(dir, 'visitors.json');
  writeFileSync(file, JSON.stringify(hashes), { mode: 0o600 });

  return { users, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Enrols an authenticator for every visitor on one stack, a few at a time; returns the
 * visitors with their secrets (the load's authenticator apps).
 *
 * @example
 * const enrolled = await enrolVisitors(stack.info, visitors.users);
 */
export async function enrolVisitors(info, users) {
  const enrolled = [];
  for (let i = 0; i < users.length; i += ENROL_AT_ONCE) {
    const batch = users.slice(i, i + ENROL_AT_ONCE);
    enrolled.push(
      ...(await Promise.all(
        batch.map(async (user) => ({ ...user, secret: (await enrol(info, user)).secret })),
      )),
    );
  }
  return enrolled;
}
