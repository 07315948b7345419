// Quoting a job's worth of arguments: `quote` against shell-quote, shescape (bash) and a
// minimal always-single-quote baseline, each quoting the same corpus of 1000 realistic job
// arguments once per operation. The corpus is generated from a fixed seed; about one value
// in five needs quotes (spaces, regexes, quotes, `$`, non-ASCII), the rest stay bare.
import { quote } from '@galaxy-harden/shell-args';
import { quote as shellQuote } from 'shell-quote';
import { Shescape } from 'shescape';

const CORPUS_SIZE = 1000;
const NEEDS_QUOTES = 0.2;

/** mulberry32: a small deterministic PRNG, so every run quotes the same corpus. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function corpus(seed) {
  const rand = prng(seed);
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const sample = () => pick(['sample', 'HG00', 'patient-', 'SRR', 'ERR', 'lib']) + int(99999);
  const ext = () => pick(['.fastq.gz', '.fa', '.bam', '.vcf.gz', '.tsv', '.bed', '.txt']);

  const plain = [
    () => `/data/run${int(40)}/${sample()}_R${1 + int(2)}${ext()}`,
    () => `${sample()}${ext()}`,
    () => sample(),
    () => String(int(100000)),
    () => pick(['0.05', '1e-5', '-1', '0.001', '42', '100']),
    () => pick(['s/foo/bar/g', '1d', '$!N', 's/\\t/,/2', 'y/acgt/ACGT/']),
    () => pick(['--min-length', '--threads', '-q', '--', '--format', '-n']),
    () => `chr${1 + int(22)}:${int(1e6)}-${int(1e7)}`,
    () => `results/2024-0${1 + int(9)}-1${int(9)}/${sample()}.tsv`,
  ];
  const quoted = [
    () => `/data/run ${int(40)}/${sample()}${ext()}`,
    () => pick(['AC[TG]', '^>chr[0-9]+', '(foo|bar)$', '\\t', 'a.*b', '[ACGT]{3,}']),
    () => pick(["c1=='chr22'", "it's", '"quoted"', '$HOME/x', "s/'//g", '/^#/d']),
    () => `${pick(['Müller', 'Gómez', 'Dvořák', 'Øster', '日本'])}_${int(100)}`,
    () => `--out=${sample()} copy${ext()}`,
    () => pick(['100.00%', 'a;b', '~/data', '*.fastq', 'x y z', '']),
  ];
  return Array.from({ length: CORPUS_SIZE }, () =>
    rand() < NEEDS_QUOTES ? pick(quoted)() : pick(plain)(),
  );
}

export default async function define() {
  const values = corpus(20240501);
  const shescape = new Shescape({ shell: 'bash' });
  const quoteAll = (fn) => () => {
    let length = 0;
    for (const value of values) length += fn(value).length;
    return length;
  };

  return {
    name: 'shell-args: quote 1000 job arguments',
    subjects: [
      { subject: 'galaxy-harden', fn: quoteAll(quote) },
      { subject: 'shell-quote', fn: quoteAll((value) => shellQuote([value])) },
      { subject: 'shescape', fn: quoteAll((value) => shescape.quote(value)) },
      {
        subject: 'baseline-single-quote',
        fn: quoteAll((value) => `'${value.replaceAll("'", "'\\''")}'`),
      },
    ],
    goals: [
      { peer: 'shell-quote', minRatio: 5, text: 'at least 5x the throughput of shell-quote' },
      {
        peer: 'baseline-single-quote',
        minRatio: 0.9,
        text: 'at least 0.9x an always-quote baseline that checks nothing',
      },
    ],
  };
}
