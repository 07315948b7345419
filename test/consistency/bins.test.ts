import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  bin?: Record<string, string>;
  files?: string[];
}

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGES = readdirSync(join(ROOT, 'packages'));
const commands = PACKAGES.flatMap((pkg) => {
  const dir = join(ROOT, 'packages', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  return Object.entries(manifest.bin ?? {}).map(([name, file]) => ({
    name,
    file: join(dir, file),
    manifest,
  }));
});

// `npm ci` links a workspace's commands into node_modules/.bin only if the file exists at
// install time, before `tsc -b` has written dist/: each command is a committed shim.
describe.each(commands)('the $name command', ({ name, file, manifest }) => {
  it('is a committed, executable shim that npm publishes', () => {
    expect(file).toContain('/bin/');
    expect(() => accessSync(file, constants.X_OK)).not.toThrow();
    expect(readFileSync(file, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(manifest.files).toContain('bin');
  });

  it('is linked by npm ci and answers --help with exit 0', () => {
    const link = join(ROOT, 'node_modules/.bin', name);
    const run = spawnSync(link, ['--help'], { encoding: 'utf8' });

    expect(realpathSync(link)).toBe(realpathSync(file));
    expect([run.status, run.stdout]).toEqual([0, expect.stringContaining(name)]);
  });
});
