import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetCatalog, DEFAULT_DATA_DIR, DEFAULT_DATASETS } from '../src/datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'gh-datasets-test-'));
writeFileSync(join(dir, 'a.txt'), 'hello\n');
mkdirSync(join(dir, 'sub'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DatasetCatalog', () => {
  it('offers the shipped FASTA file and gene table with their sizes, no paths', () => {
    const catalog = new DatasetCatalog(DEFAULT_DATA_DIR, DEFAULT_DATASETS);
    const listed = catalog.list();

    expect(listed.map((dataset) => dataset.name)).toEqual(['genes.fasta', 'genes.tsv']);
    expect(listed.every((dataset) => dataset.bytes > 500)).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(DEFAULT_DATA_DIR);
  });

  it('resolves a listed name to its file', () => {
    const catalog = new DatasetCatalog(dir, { 'a.txt': 'A greeting' });

    expect(catalog.resolve('a.txt')).toEqual({
      name: 'a.txt',
      description: 'A greeting',
      path: join(dir, 'a.txt'),
      bytes: 6,
    });
  });

  it.each([
    '../../etc/passwd',
    '/etc/passwd',
    'a.txt/../a.txt',
    './a.txt',
    'A.TXT',
    'constructor',
    '__proto__',
    '',
  ])('refuses %j: only names on the list are files', (name) => {
    const catalog = new DatasetCatalog(dir, { 'a.txt': 'A greeting' });

    expect(() => catalog.resolve(name)).toThrow(
      expect.objectContaining({
        code: 'ERR_JOB_DATASET',
        message: 'unknown dataset; choose one of: a.txt',
      }),
    );
  });

  it.each([
    [{ '../a.txt': 'up' }, /must name plain files/],
    [{ '-rf': 'option' }, /must name plain files/],
    [{ 'a b': 'space' }, /must name plain files/],
    [{ 'missing.txt': 'absent' }, /must name a readable file/],
    [{ sub: 'a directory' }, /must name a readable file/],
    [{}, /must list at least one dataset/],
  ])('refuses the configuration %j at start-up', (datasets, message) => {
    expect(() => new DatasetCatalog(dir, datasets)).toThrow(
      expect.objectContaining({
        code: 'ERR_JOB_RUNNER_CONFIG',
        message: expect.stringMatching(message),
      }),
    );
  });
});
