import { open } from 'node:fs/promises';

/** How much is read at a time, walking back from the end of the file. */
const BLOCK_BYTES = 64 * 1024;

export interface LogTailRequest {
  /** At most this many bytes from the end of the file are read. */
  maxBytes: number;
  /** Only the last `lines` lines (all that fit in maxBytes when not given). */
  lines?: number;
}

export interface LogTail {
  /** Whole lines, oldest first. */
  text: string;
  /** Bytes in the file. */
  size: number;
  /** True when older lines were left out (to stay within maxBytes, or beyond the lines asked for). */
  truncated: boolean;
  exists: boolean;
  /** Bytes read from the file to find them. */
  bytesRead: number;
}

/**
 * The end of a log file, read backwards block by block from its end: a log may span months of
 * timeperiods and hundreds of MB, and its last lines are what the CLI's `logs -n` and the viewer
 * show. Reads until it has the lines asked for, maxBytes, or the start of the file; a line cut
 * by maxBytes is left out rather than shown half.
 */
export async function readLogTail(file: string, request: LogTailRequest): Promise<LogTail> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', size: 0, truncated: false, exists: false, bytesRead: 0 };
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const limit = Math.min(size, request.maxBytes);
    const wanted = request.lines ?? Infinity;
    const blocks: Buffer[] = [];
    let start = size;
    // A newline ending the file ends the last line; it does not start an empty one.
    let newlines = 0;
    let lineStart = -1;
    while (start > size - limit && lineStart < 0) {
      const length = Math.min(BLOCK_BYTES, start - (size - limit));
      const block = Buffer.alloc(length);
      const { bytesRead } = await handle.read(block, 0, length, start - length);
      if (bytesRead === 0) break;
      start -= length;
      blocks.unshift(block.subarray(0, bytesRead));
      if (wanted === Infinity) continue;
      for (let i = block.lastIndexOf(0x0a, bytesRead - 1); i >= 0; i = i > 0 ? block.lastIndexOf(0x0a, i - 1) : -1) {
        if (start + i === size - 1) continue;
        if (++newlines === wanted) {
          lineStart = start + i + 1;
          break;
        }
      }
    }
    const tail = Buffer.concat(blocks);
    let from = 0;
    if (lineStart >= 0) from = lineStart - start;
    else if (start > 0) {
      // The first line read is cut: left out, unless it is all there is (the end of one huge line).
      const newline = tail.indexOf(0x0a);
      from = newline >= 0 && newline < tail.length - 1 ? newline + 1 : 0;
    }
    return { text: tail.subarray(from).toString('utf8'), size, truncated: start + from > 0, exists: true, bytesRead: tail.length };
  } finally {
    await handle.close();
  }
}
