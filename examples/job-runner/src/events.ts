/** Security-relevant things the job runner reports; it never prints them itself. */
export type JobRunnerEvent =
  | {
      /** A job was refused with a 4xx answer; `code` names the rule. */
      readonly type: 'job.refused';
      readonly code: string;
      readonly status: number;
    }
  | {
      /** A job hit the time or output limit and was killed. */
      readonly type: 'job.limited';
      readonly tool: 'sed' | 'grep';
      readonly timedOut: boolean;
      readonly truncated: boolean;
    }
  | {
      /** A job could not run for a reason on the server's side. */
      readonly type: 'job.failed';
      readonly code: string;
    };

/** Receives {@link JobRunnerEvent}s, e.g. to write them to an audit log. */
export type JobRunnerEventSink = (event: JobRunnerEvent) => void;
