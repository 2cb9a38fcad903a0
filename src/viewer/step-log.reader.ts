import { open } from 'node:fs/promises';

export interface StepLogTail {
  /** Whole lines, oldest first. */
  text: string;
  /** Bytes in the file. */
  size: number;
  /** True when older lines were left out to stay within the limit. */
  truncated: boolean;
  exists: boolean;
}

/**
 * The end of a step's log file. A step log spans every timeperiod the step ran for, and may be
 * large, so only the last `maxBytes` are read, cut at a line start.
 */
export async function readLogTail(file: string, maxBytes: number): Promise<StepLogTail> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', size: 0, truncated: false, exists: false };
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    let text = buffer.toString('utf8');
    const truncated = length < size;
    if (truncated) text = text.slice(text.indexOf('\n') + 1);
    return { text, size, truncated, exists: true };
  } finally {
    await handle.close();
  }
}
