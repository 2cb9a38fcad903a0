import * as fs from 'node:fs';

const POLL_MS = 200;

/**
 * `tail -f`: writes what is appended to `file` after `offset` until `until` resolves, then
 * resolves with its value. Polls the file's size (fs.watchFile), which works on every
 * filesystem, for a file that does not exist yet, and across log rotation (a shrink rereads).
 */
export async function followFile(file: string, offset: number, write: (chunk: Buffer) => void, until: Promise<number>): Promise<number> {
  let position = offset;
  const readNew = (size: number) => {
    if (size < position) position = 0;
    if (size === position) return;
    const fd = fs.openSync(file, 'r');
    try {
      const chunk = Buffer.alloc(size - position);
      const read = fs.readSync(fd, chunk, 0, chunk.length, position);
      position += read;
      write(chunk.subarray(0, read));
    } finally {
      fs.closeSync(fd);
    }
  };
  const onChange = (current: fs.Stats) => readNew(current.size);
  fs.watchFile(file, { interval: POLL_MS }, onChange);
  try {
    // Lines written between the first read and the watch starting.
    if (fs.existsSync(file)) readNew(fs.statSync(file).size);
    return await until;
  } finally {
    fs.unwatchFile(file, onChange);
  }
}
