// `node examples/totp-code.mjs FILE`: the demo's stand-in for an authenticator app. Prints
// the next second-factor code of the user `npm start` enrolled, from the 0600 file named in
// its banner (the secret lives only there and in the demo's memory; both go at Ctrl-C).
// Each run hands out a time step not handed out before, since the gateway refuses a code
// twice; when it must wait for the next 30-second step, it says so on stderr.
import { setTimeout as sleep } from 'node:timers/promises';

import { takeDemoCode } from '@galaxy-harden-examples/gateway';

const [file, extra] = process.argv.slice(2);
if (file === undefined || extra !== undefined || file.startsWith('-')) {
  process.stderr.write('usage: node examples/totp-code.mjs FILE (printed by npm start)\n');
  process.exit(2);
}

try {
  const { code, notBeforeMs } = await takeDemoCode(file, Date.now());
  const waitMs = notBeforeMs - Date.now();
  if (waitMs > 0) {
    process.stderr.write(`waiting ${Math.ceil(waitMs / 1000)} s for a fresh time step\n`);
    await sleep(waitMs);
  }
  process.stdout.write(`${code}\n`);
} catch (error) {
  process.stderr.write(
    `totp-code: ${error.code === 'ENOENT' ? 'no such file (is the demo running?)' : error.message}\n`,
  );
  process.exit(1);
}
