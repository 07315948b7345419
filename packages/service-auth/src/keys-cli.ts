#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isServiceAlgorithm } from './algorithms.js';
import { type KeyWriteMode, writeServiceKeys } from './key-files.js';

const USAGE = `usage: galaxy-service-keys --name NAME [--dir DIR] [--alg ES256|EdDSA]
                           [--rotate|--prune]

Writes NAME.private.jwk.json (mode 0600: give it to NAME only) and NAME.jwks.json (public:
give it to the components NAME calls or answers).
  --rotate  new private key; the JWKS keeps the old public keys for the overlap
  --prune   after the overlap: the JWKS keeps only the current key
`;

function modeOf(values: { rotate?: boolean; prune?: boolean }): KeyWriteMode {
  if (values.rotate && values.prune) throw new Error('--rotate and --prune exclude each other');
  if (values.rotate) return 'rotate';

  return values.prune ? 'prune' : 'create';
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      dir: { type: 'string', default: '.' },
      alg: { type: 'string', default: 'ES256' },
      rotate: { type: 'boolean' },
      prune: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || values.name === undefined) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (!isServiceAlgorithm(values.alg)) throw new Error('--alg must be ES256 or EdDSA');

  const options = { name: values.name, dir: values.dir, alg: values.alg, mode: modeOf(values) };
  const written = await writeServiceKeys(options);
  const kids = written.kids.join(', ');
  process.stdout.write(
    `${written.privateJwkPath}\n${written.jwksPath}\nkid ${written.kid} (JWKS: ${kids})\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `galaxy-service-keys: ${error instanceof Error ? error.message : error}\n`,
    );
    process.exitCode = 1;
  },
);
