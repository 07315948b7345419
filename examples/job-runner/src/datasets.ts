import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configError, JobRunnerError } from './errors.js';

/** One input file a job may read, offered by name only. */
export interface Dataset {
  readonly name: string;
  readonly description: string;
  readonly path: string;
  readonly bytes: number;
}

/** What `GET /datasets` shows: no server paths. */
export interface DatasetSummary {
  readonly name: string;
  readonly description: string;
  readonly bytes: number;
}

/**
 * The datasets shipped in `examples/job-runner/data/`, by file name with a description.
 *
 * @example
 * startJobRunner({ datasets: { ...DEFAULT_DATASETS, 'reads.fastq': 'Reads' }, dataDir });
 */
export const DEFAULT_DATASETS: Readonly<Record<string, string>> = {
  'genes.fasta': 'Four synthetic DNA sequences in FASTA format (60 bases a line)',
  'genes.tsv': 'Thirty human genes: gene, chrom, start, end, strand (tab-separated, GRCh38)',
};

/**
 * The shipped data directory, found from this file so it works from `src/` and `dist/`.
 *
 * @example
 * new DatasetCatalog(DEFAULT_DATA_DIR, DEFAULT_DATASETS);
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));

// A dataset name becomes a file operand on the command line and a file name in the work
// directory; a fixed, plain shape keeps it one harmless word even before quoting.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The fixed list of datasets. Jobs name a dataset; they never name a path, so
 * `../../etc/passwd` is simply not on the list.
 *
 * @example
 * const catalog = new DatasetCatalog(DEFAULT_DATA_DIR, DEFAULT_DATASETS);
 * catalog.resolve('genes.fasta').path; // '/…/examples/job-runner/data/genes.fasta'
 */
export class DatasetCatalog {
  private readonly byName: ReadonlyMap<string, Dataset>;

  constructor(dataDir: string, descriptions: Readonly<Record<string, string>>) {
    const entries = Object.entries(descriptions).map(([name, description]) =>
      loadDataset(dataDir, name, description),
    );
    if (entries.length === 0) {
      throw configError('datasets', '{}', 'must list at least one dataset', 'name a file');
    }

    this.byName = new Map(entries.map((dataset) => [dataset.name, dataset]));
  }

  /** Names, descriptions and sizes, in the order given. */
  list(): DatasetSummary[] {
    return [...this.byName.values()].map(({ name, description, bytes }) => ({
      name,
      description,
      bytes,
    }));
  }

  /** The dataset called `name`, or `ERR_JOB_DATASET` naming the ones on offer. */
  resolve(name: string): Dataset {
    const dataset = this.byName.get(name);
    if (dataset) return dataset;

    const known = [...this.byName.keys()].join(', ');
    throw new JobRunnerError('ERR_JOB_DATASET', `unknown dataset; choose one of: ${known}`);
  }
}

function loadDataset(dataDir: string, name: string, description: string): Dataset {
  if (!NAME.test(name)) {
    throw configError(
      'datasets',
      name,
      'must name plain files (letters, digits, ".", "_", "-"; 64 at most)',
      'rename the file',
    );
  }

  const path = join(dataDir, name);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) {
    throw configError('datasets', path, 'must name a readable file', 'create it or fix dataDir');
  }

  return { name, description, path, bytes: stat.size };
}
