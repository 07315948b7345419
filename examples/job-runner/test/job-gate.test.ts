import { describe, expect, it } from 'vitest';
import { JobGate } from '../src/job-gate.js';

describe('JobGate', () => {
  it('refuses a job over the limit with ERR_JOB_BUSY and admits one again after a leave', () => {
    const gate = new JobGate(2);
    const first = gate.enter();
    gate.enter();

    expect(() => gate.enter()).toThrow(expect.objectContaining({ code: 'ERR_JOB_BUSY' }));
    first();
    expect(gate.size).toBe(1);
    expect(() => gate.enter()).not.toThrow();
  });

  it('counts a slot given back twice only once', () => {
    const gate = new JobGate(1);
    const leave = gate.enter();
    leave();
    leave();

    expect(gate.size).toBe(0);
    gate.enter();
    expect(() => gate.enter()).toThrow(/1 jobs are running/);
  });
});
