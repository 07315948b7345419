// Types of profile-summary.mjs, for the tests that import it.
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  busyMs: number;
  packages: [string, number][];
  functions: [string, number][];
}

export function packageOf(frame: Pick<CallFrame, 'functionName' | 'url'>): string;
export function summarize(profile: CpuProfile): ProfileSummary;
