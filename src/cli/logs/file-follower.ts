import * as fs from 'node:fs';

const POLL_MS = 200;

/**
 * `tail -F`: writes what is appended to `file` after `offset` until `until` resolves, then
 * resolves with its value. Polls the file's size and inode, which works on every filesystem and
 * for a file that does not exist yet (or for a moment, during a rotation). Across a rotation (`<file>` renamed `<file>.1`, a new `<file>`
 * started), what was appended to the old file since the last poll is read from `<file>.1` first,
 * then the new file from its start: no line is lost or printed twice.
 */
export async function followFile(file: string, offset: number, write: (chunk: Buffer) => void, until: Promise<number>): Promise<number> {
  let position = offset;
  let inode = statOrUndefined(file)?.ino;
  const readFrom = (path: string, from: number, to: number) => {
    if (to <= from) return from;
    const fd = fs.openSync(path, 'r');
    try {
      const chunk = Buffer.alloc(to - from);
      const read = fs.readSync(fd, chunk, 0, chunk.length, from);
      write(chunk.subarray(0, read));
      return from + read;
    } finally {
      fs.closeSync(fd);
    }
  };
  const readNew = (current: fs.Stats) => {
    if (inode !== undefined && current.ino !== inode) {
      // Rotated: the rest of the old file, now `.1` (if it is that one), then the new one from its start.
      const rotated = statOrUndefined(`${file}.1`);
      if (rotated?.ino === inode) readFrom(`${file}.1`, position, rotated.size);
      position = 0;
    } else if (current.size < position) position = 0;
    inode = current.ino;
    position = readFrom(file, position, current.size);
  };
  // Our own poll, not fs.watchFile: its first stat is taken later, on libuv's side, and a line
  // appended before it would only show with the next change of the file.
  const poll = () => {
    const current = statOrUndefined(file);
    if (current) readNew(current);
  };
  const timer = setInterval(poll, POLL_MS);
  try {
    // Lines written between the first read and the poll starting.
    poll();
    return await until;
  } finally {
    clearInterval(timer);
  }
}

function statOrUndefined(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path);
  } catch {
    return undefined;
  }
}
