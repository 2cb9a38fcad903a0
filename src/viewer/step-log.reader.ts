import { readLogTail as readTail, type LogTail } from '../logging/log-tail.reader';

export type StepLogTail = Omit<LogTail, 'bytesRead'>;

/**
 * The end of a step's log file. A step log spans every timeperiod the step ran for, and may be
 * large, so only the last `maxBytes` are read (backwards from the end, as `logs -n` does), cut at
 * a line start.
 */
export async function readLogTail(file: string, maxBytes: number): Promise<StepLogTail> {
  const { bytesRead: _, ...tail } = await readTail(file, { maxBytes });
  return tail;
}
