import { JobRunnerError } from './errors.js';

/**
 * Counts running jobs and refuses more than `max` at once with `ERR_JOB_BUSY` (503): each
 * job may use a CPU for its whole time limit, so a burst must not queue without bound.
 *
 * @example
 * const gate = new JobGate(4);
 * const leave = gate.enter(); // throws ERR_JOB_BUSY when 4 are running
 * try { await work(); } finally { leave(); }
 */
export class JobGate {
  private running = 0;

  constructor(private readonly max: number) {}

  /** Jobs running now. */
  get size(): number {
    return this.running;
  }

  /** Takes a slot; the returned function gives it back (calling it twice is harmless). */
  enter(): () => void {
    if (this.running >= this.max) {
      throw new JobRunnerError('ERR_JOB_BUSY', `${this.max} jobs are running; retry shortly`);
    }

    this.running += 1;
    let left = false;

    return () => {
      if (left) return;
      left = true;
      this.running -= 1;
    };
  }
}
