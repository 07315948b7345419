// `node examples/totp-code.mjs FILE`: the demo's stand-in for an authenticator app. Prints
// the next second-factor code of the user `npm start` enrolled, from the 0600 file named in
// its banner (the secret lives only there and in the demo's memory; both go at Ctrl-C).
// Each run hands out a time step not handed out before, since the gateway refuses a code
// twice; when it must wait for the next 30-second step, it says so on stderr.
//
// It imports the demo authenticator alone, not the whole gateway: a run must not depend on
// every package's build being whole at that moment. On any failure it exits 1 with nothing
// on stdout, so the printed `code=$(...) && curl ...` line stops instead of sending a code.
import { setTimeout as sleep } from 'node:timers/promises';

import { takeDemoCode } from '@galaxy-harden-examples/gateway/demo-authenticator';

const [file, extra] = process.argv.slice(2);
if (file === undefined || extra !== undefined || file.startsWith('-')) {
  process.stderr.write('usage: node examples/totp-code.mjs FILE (printed by npm start)\n');
  process.exit(2);
}

try {
  const { code, notBeforeMs } = await takeDemoCode(file, Date.now());
  if (notBeforeMs > Date.now()) {
    const seconds = Math.ceil((notBeforeMs - Date.now()) / 1000);
    process.stderr.write(`waiting ${seconds} s for a fresh time step\n`);
  }
  // Timers run on a monotonic clock and may fire a little before the wall clock gets there;
  // the gateway checks codes by the wall clock, so wait until it says the step has begun.
  while (Date.now() < notBeforeMs) await sleep(notBeforeMs - Date.now());
  process.stdout.write(`${code}\n`);
} catch (error) {
  const why = error.code === 'ENOENT' ? 'no such file (is the demo running?)' : error.message;
  process.stderr.write(`totp-code: ${why}\n`);
  process.exit(1);
}
