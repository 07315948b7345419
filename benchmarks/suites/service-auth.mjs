// Full verification of a signed service call (size cap, header allowlist, signature, claims,
// request binding with a body digest, route rule, replay check in a MemoryStore) against bare
// jose `jwtVerify` with the same ES256 key and the same tokens, in the same process.
import {
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  MAX_LIFETIME_SECONDS,
  publicJwks,
  REQUEST_TYP,
  signRequest,
} from '@galaxy-harden/service-auth';
import { MemoryStore } from '@galaxy-harden/store';
import { importJWK, jwtVerify } from 'jose';

// Each token passes the replay check once, so the suite mints a pool and starts a fresh
// verifier (and store) when the pool wraps: one key import per POOL calls.
const POOL = 8192;
// A fixed clock keeps the pool valid however long the run lasts; jose gets the same date.
const NOW = Date.now();
const BODY = JSON.stringify({ tool: 'sed', args: ['-e', 's/chr/Chr/'], input: 'dataset_42.dat' });
const PATH = '/jobs?queue=default';

export default async function define() {
  const gateway = await createServiceIdentity('gateway', await generateServiceKey('ES256'));
  const runner = await createServiceIdentity('job-runner', await generateServiceKey('ES256'));
  const peers = [
    { name: 'gateway', algorithms: ['ES256'], jwks: publicJwks(gateway), routes: ['POST /jobs'] },
  ];
  const newVerifier = () =>
    createServiceVerifier({
      identity: runner,
      peers,
      store: new MemoryStore({ now: () => NOW }),
      now: () => NOW,
    });

  const calls = [];
  for (let i = 0; i < POOL; i += 1) {
    const options = {
      audience: 'job-runner',
      method: 'POST',
      path: PATH,
      body: BODY,
      now: () => NOW,
    };
    const signed = await signRequest(gateway, options);
    calls.push({ authorization: signed.authorization, method: 'POST', path: PATH, body: BODY });
  }
  // Bare jose gets the same tokens, the key imported once (as the verifier holds it), and
  // every check it offers that the verifier also makes: type, issuer, subject, audience,
  // required claims, maximum age and the same clock tolerance.
  const tokens = calls.map((call) => call.authorization.slice('Bearer '.length));
  const joseKey = await importJWK(gateway.publicJwk, 'ES256');
  const joseOptions = {
    algorithms: ['ES256'],
    typ: REQUEST_TYP,
    issuer: 'gateway',
    subject: 'gateway',
    audience: 'job-runner',
    requiredClaims: ['exp', 'iat', 'jti'],
    maxTokenAge: MAX_LIFETIME_SECONDS,
    clockTolerance: 5,
    currentDate: new Date(NOW),
  };

  let verifier = await newVerifier();
  let ours = 0;
  let theirs = 0;
  const renew = async () => {
    await verifier.close();
    verifier = await newVerifier();
    ours = 0;
  };

  return {
    name: 'service-auth: verify a signed call',
    subjects: [
      {
        subject: 'galaxy-harden',
        // Returns the promise as the jose subject does (no extra async frame on either side);
        // the pool wrap, one key import per POOL calls, is timed against us.
        fn: () => {
          if (ours < POOL) return verifier.verify(calls[ours++]);
          return renew().then(() => verifier.verify(calls[ours++]));
        },
      },
      {
        subject: 'jose',
        fn: () => jwtVerify(tokens[theirs++ % POOL], joseKey, joseOptions),
      },
    ],
    goals: [
      {
        peer: 'jose',
        minRatio: 0.85,
        text:
          'full verification (size cap, binding, routes, replay check in memory) ' +
          'at most ~1.18x the cost of bare jwtVerify, ES256',
      },
    ],
    teardown: () => verifier.close(),
  };
}
