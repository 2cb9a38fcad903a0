import type { FileHandle } from 'node:fs/promises';
import { withoutCarriageReturn } from './log-entries.stream';

/** How much is read at a time, walking back from the end of a file (as readLogTail does). */
const BLOCK_BYTES = 64 * 1024;

/** A line of a log file, read from its end. */
export interface BackwardLine {
  /** The line without its newline (nor a `\r` before it); only its start when `cut`. */
  text: string;
  /** What a forward read counts for it: its bytes, and its newline. */
  bytes: number;
  /** True when the line is longer than `keepBytes`: `text` is its first `keepBytes` only. */
  cut: boolean;
}

/**
 * The lines of the first `size` bytes of an open file, newest first: the same lines, split at `\n`
 * only, as a forward read gives (log-entries.stream.ts's linesOf), so an entry's bytes are counted
 * alike both ways. A line longer than `keepBytes` is held by its start only (what names its entry),
 * so that a 100 MB line without a newline costs `keepBytes` of memory, not its length. Each block is
 * an asynchronous read: the event loop gets its turn between two, and an aborted signal ends the
 * lines there (the caller throws its reason). The handle stays open: its owner closes it.
 */
export async function* linesBackward(
  handle: FileHandle,
  size: number,
  keepBytes: number,
  signal?: AbortSignal,
): AsyncGenerator<BackwardLine> {
  // The bytes of the line being read that are known (its end, then more of it as blocks come), its start kept.
  let held = Buffer.alloc(0);
  let heldLength = 0;
  // Only the last line may be empty and left out: what follows a newline that ends the file is no line.
  let ended = false;
  const line = (): BackwardLine => {
    const cut = heldLength > keepBytes;
    const text = withoutCarriageReturn(held.toString('utf8'));
    return { text, bytes: cut ? heldLength + 1 : Buffer.byteLength(text) + 1, cut };
  };
  const hold = (part: Buffer) => {
    heldLength += part.length;
    held = Buffer.concat([part, held], Math.min(held.length + part.length, keepBytes + 1));
  };
  for (let start = size; start > 0;) {
    if (signal?.aborted) return;
    const length = Math.min(BLOCK_BYTES, start);
    const block = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(block, 0, length, start - length);
    if (signal?.aborted) return;
    // a file truncated meanwhile: what is left of it has been read
    if (bytesRead < length) return;
    start -= length;
    let end = length;
    for (let newline = block.lastIndexOf(0x0a, end - 1); newline >= 0; newline = end > 0 ? block.lastIndexOf(0x0a, end - 1) : -1) {
      hold(block.subarray(newline + 1, end));
      if (ended || heldLength > 0) yield line();
      ended = true;
      held = Buffer.alloc(0);
      heldLength = 0;
      end = newline;
    }
    hold(block.subarray(0, end));
  }
  if (ended || heldLength > 0) yield line();
}
