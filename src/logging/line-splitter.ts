/**
 * The lines of a text read in chunks, split at `\n`. Each chunk is split alone and what follows its
 * last newline is kept for the next: a very long line costs its length once, not once per chunk
 * (splitting the held part again with every chunk made a 20 MiB line take seconds).
 */
export class LineSplitter {
  private partial = '';

  /** The lines this chunk completes. */
  push(chunk: string): string[] {
    const lines = chunk.split('\n');
    if (lines.length === 1) {
      this.partial += chunk;
      return [];
    }
    lines[0] = this.partial + lines[0];
    this.partial = lines.pop()!;
    return lines;
  }

  /** What follows the last newline: a last line the writer has not ended (yet). */
  rest(): string {
    return this.partial;
  }
}
