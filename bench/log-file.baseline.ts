import * as fs from 'node:fs';
import * as path from 'node:path';
import { distribution, perSecond, type Distribution } from './stats';
import { scratchDirectory } from './scratch';

export interface LogFileBaselineFigures {
  files: number;
  filesPerSecond: number;
  createMs: Distribution;
}

/**
 * What the log layout costs on this disk: one new file per step (`<flow>/<step>.log`), created,
 * appended to and closed, at most 64 open, as the engine's log thread does. Creating a file is
 * cheap on a quiet file system; on ext4 without a journal (this VM's) it is up to ten times
 * slower in a directory whose block group had files deleted in the last minutes, so this rate,
 * measured in a directory of its own, says what the disk could do, not what the engine's log
 * directory got: the engine's first run shows that in its own `finish` phase.
 */
export function runLogFileBaseline(files: number): LogFileBaselineFigures {
  const dir = scratchDirectory('logs-');
  const open: number[] = [];
  const createMs: number[] = [];
  try {
    const began = performance.now();
    for (let i = 0; i < files; i++) {
      const t = performance.now();
      const fd = fs.openSync(path.join(dir, `s${i}.log`), 'a');
      createMs.push(performance.now() - t);
      fs.writeSync(fd, '2026-11-26T00:00:00.000 s INFO attempt 1 started on cluster local-1\n');
      open.push(fd);
      if (open.length > 64) fs.closeSync(open.shift()!);
    }
    const elapsed = performance.now() - began;
    return { files, filesPerSecond: perSecond(files, elapsed), createMs: distribution(createMs)! };
  } finally {
    for (const fd of open) fs.closeSync(fd);
  }
}
