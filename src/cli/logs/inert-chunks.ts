const BACKSLASH = 0x5c;
const X = 0x78;
const HEX = Buffer.from('0123456789abcdef');
/** The lead byte of U+0080-U+00BF in UTF-8: followed by 0x80-0x9F, a C1 control. */
const C2 = 0xc2;

/**
 * For a log printed as the file holds it (`logs`, `logs --follow`): its chunks with the control
 * characters shown as inertText shows them (`\x1b`), worked on as bytes: a log may be hundreds of
 * MB, and a chunk without a control character (nearly all of them) goes out as it came, after one
 * scan. A C1 control is two bytes in UTF-8 (`C2 9B`): a chunk ending in C2 keeps it for the next,
 * unless the caller says it is the last.
 */
export function inertChunks(): (chunk: Buffer, last?: boolean) => Buffer {
  let held: Buffer | undefined;
  return (chunk, last = false) => {
    const input = held ? Buffer.concat([held, chunk]) : chunk;
    held = undefined;
    let end = input.length;
    // The last chunk keeps nothing back: a C2 at the very end of the file is printed as it is.
    if (!last && end > 0 && input[end - 1] === C2) {
      held = input.subarray(end - 1);
      end--;
    }
    let first = 0;
    while (first < end && !isControlAt(input, first, end)) first++;
    if (first === end) return input.subarray(0, end);
    // At most four bytes out for one in.
    const out = Buffer.allocUnsafe(first + (end - first) * 4);
    input.copy(out, 0, 0, first);
    let o = first;
    for (let i = first; i < end; i++) {
      if (!isControlAt(input, i, end)) {
        out[o++] = input[i];
        continue;
      }
      const code = input[i] === C2 ? input[++i] : input[i];
      out[o++] = BACKSLASH;
      out[o++] = X;
      out[o++] = HEX[code >> 4];
      out[o++] = HEX[code & 0xf];
    }
    return out.subarray(0, o);
  };
}

/** A C0 control but newline and tab, DEL, or the first byte of a C1 control. */
function isControlAt(bytes: Buffer, i: number, end: number): boolean {
  const b = bytes[i];
  if (b < 0x20) return b !== 0x0a && b !== 0x09;
  if (b === 0x7f) return true;
  return b === C2 && i + 1 < end && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9f;
}
