/** Which stream a chunk came from. */
export type StreamName = 'stdout' | 'stderr';

/**
 * Keeps at most `maxBytes` of a job's stdout and stderr together and calls `onFull` once
 * when more arrives, so a job printing forever costs a bounded amount of memory.
 *
 * @example
 * const output = new OutputCollector(1024, () => kill());
 * output.add('stdout', chunk);
 * output.result().truncated;
 */
export class OutputCollector {
  private readonly chunks: Record<StreamName, Buffer[]> = { stdout: [], stderr: [] };
  private kept = 0;
  private truncated = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onFull: () => void,
  ) {}

  add(stream: StreamName, chunk: Buffer): void {
    if (this.truncated) return;

    const room = this.maxBytes - this.kept;
    this.chunks[stream].push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.kept += Math.min(chunk.length, room);
    if (chunk.length <= room) return;

    this.truncated = true;
    this.onFull();
  }

  result(): { stdout: string; stderr: string; truncated: boolean } {
    return {
      stdout: Buffer.concat(this.chunks.stdout).toString('utf8'),
      stderr: Buffer.concat(this.chunks.stderr).toString('utf8'),
      truncated: this.truncated,
    };
  }
}
