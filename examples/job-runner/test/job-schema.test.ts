import { describe, expect, it } from 'vitest';
import { JobRunnerError } from '../src/errors.js';
import { parseJob } from '../src/job-schema.js';

const limits = { maxInputBytes: 64 };

function refusal(body: unknown): JobRunnerError {
  try {
    parseJob(body, limits);
  } catch (error) {
    if (error instanceof JobRunnerError) return error;
    throw error;
  }
  throw new Error('parseJob accepted the body');
}

describe('parseJob', () => {
  it('accepts a sed job and fills options with false', () => {
    const job = parseJob({ tool: 'sed', dataset: 'genes.fasta', script: 's/ATG/atg/g' }, limits);

    expect(job).toEqual({
      tool: 'sed',
      dataset: 'genes.fasta',
      script: 's/ATG/atg/g',
      options: { quiet: false, extendedRegex: false },
    });
  });

  it('accepts a grep job with the options it sets', () => {
    const body = {
      tool: 'grep',
      dataset: 'genes.tsv',
      pattern: 'chr1[37]',
      options: { ignoreCase: true, lineNumbers: true },
    };

    expect(parseJob(body, limits)).toEqual({
      tool: 'grep',
      dataset: 'genes.tsv',
      pattern: 'chr1[37]',
      options: {
        ignoreCase: true,
        invert: false,
        count: false,
        fixedStrings: false,
        extendedRegex: false,
        lineNumbers: true,
      },
    });
  });

  it('keeps hostile text unchanged: refusing or quoting it is the command builder’s job', () => {
    const script = "s/a/$(touch X)/;`id`\n'";

    expect(parseJob({ tool: 'sed', dataset: 'd', script }, limits)).toMatchObject({ script });
  });

  it('accepts an empty pattern (it matches every line) and a script of exactly the cap', () => {
    expect(parseJob({ tool: 'grep', dataset: 'd', pattern: '' }, limits)).toMatchObject({
      pattern: '',
    });
    expect(parseJob({ tool: 'sed', dataset: 'd', script: 'p'.repeat(64) }, limits)).toBeTruthy();
  });

  it.each([
    ['a string body', 'sed', 'ERR_JOB_BODY', /JSON object/],
    ['an array body', [{ tool: 'sed' }], 'ERR_JOB_BODY', /JSON object/],
    ['a null body', null, 'ERR_JOB_BODY', /Content-Type: application\/json/],
    ['an unknown tool', { tool: 'sh', dataset: 'd', script: 'id' }, 'ERR_JOB_TOOL', /"sed"/],
    ['a missing tool', { dataset: 'd', script: 'p' }, 'ERR_JOB_TOOL', /"tool"/],
    [
      'an unknown field',
      { tool: 'sed', dataset: 'd', script: 'p', inPlace: true },
      'ERR_JOB_FIELD_UNKNOWN',
      /"inPlace"/,
    ],
    [
      'a field of the other tool',
      { tool: 'grep', dataset: 'd', pattern: 'a', script: 'p' },
      'ERR_JOB_FIELD_UNKNOWN',
      /"script"; allowed: tool, dataset, pattern, options/,
    ],
    [
      'a __proto__ field',
      JSON.parse('{"tool":"sed","dataset":"d","script":"p","__proto__":{"x":1}}'),
      'ERR_JOB_FIELD_UNKNOWN',
      /"__proto__"/,
    ],
    ['a missing script', { tool: 'sed', dataset: 'd' }, 'ERR_JOB_FIELD_MISSING', /"script"/],
    ['a missing dataset', { tool: 'grep', pattern: 'a' }, 'ERR_JOB_FIELD_MISSING', /"dataset"/],
    [
      'a numeric pattern',
      { tool: 'grep', dataset: 'd', pattern: 7 },
      'ERR_JOB_FIELD_TYPE',
      /string/,
    ],
    [
      'an array as dataset',
      { tool: 'grep', dataset: ['a', 'b'], pattern: 'a' },
      'ERR_JOB_FIELD_TYPE',
      /"dataset" must be a string/,
    ],
    [
      'a script over the cap',
      { tool: 'sed', dataset: 'd', script: 'p'.repeat(65) },
      'ERR_JOB_FIELD_TOO_LONG',
      /at most 64 bytes/,
    ],
    [
      'a script over the cap in UTF-8 bytes',
      { tool: 'sed', dataset: 'd', script: 'é'.repeat(33) },
      'ERR_JOB_FIELD_TOO_LONG',
      /"script"/,
    ],
    [
      'a dataset name over 128 bytes',
      { tool: 'sed', dataset: 'a'.repeat(129), script: 'p' },
      'ERR_JOB_FIELD_TOO_LONG',
      /"dataset"/,
    ],
    [
      'options that are not an object',
      { tool: 'sed', dataset: 'd', script: 'p', options: '-i' },
      'ERR_JOB_BODY',
      /"options"/,
    ],
    [
      'an unknown option',
      { tool: 'sed', dataset: 'd', script: 'p', options: { inPlace: true } },
      'ERR_JOB_FIELD_UNKNOWN',
      /sed options has no field "inPlace"/,
    ],
    [
      'a grep option on a sed job',
      { tool: 'sed', dataset: 'd', script: 'p', options: { ignoreCase: true } },
      'ERR_JOB_FIELD_UNKNOWN',
      /"ignoreCase"/,
    ],
    [
      'an option that is not a boolean',
      { tool: 'grep', dataset: 'd', pattern: 'a', options: { count: 'yes' } },
      'ERR_JOB_FIELD_TYPE',
      /"count" must be true or false/,
    ],
  ])('refuses %s', (_title, body, code, message) => {
    const error = refusal(body);

    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});
