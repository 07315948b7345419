// Full verification of a signed service call (size cap, header allowlist, signature, claims,
// request binding with a body digest, route rule, replay check in a MemoryStore) against bare
// jose `jwtVerify` with the same ES256 key and the same tokens, in the same process.
import {
  createServiceIdentity,
  createServiceVerifier,
  generateServiceKey,
  publicJwks,
  signRequest,
} from '@galaxy-harden/service-auth';
import { MemoryStore } from '@galaxy-harden/store';
import { jwtVerify } from 'jose';

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
  const tokens = calls.map((call) => call.authorization.slice('Bearer '.length));
  const publicKey = gateway.publicJwk;
  const { importJWK } = await import('jose');
  const joseKey = await importJWK(publicKey, 'ES256');
  const joseOptions = { algorithms: ['ES256'], currentDate: new Date(NOW) };

  let verifier = await newVerifier();
  let ours = 0;
  let theirs = 0;

  return {
    name: 'service-auth: verify a signed call',
    subjects: [
      {
        subject: 'galaxy-harden',
        fn: async () => {
          if (ours === POOL) {
            ours = 0;
            await verifier.close();
            verifier = await newVerifier();
          }
          return verifier.verify(calls[ours++]);
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
