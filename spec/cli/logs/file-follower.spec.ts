import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { followFile } from '../../../src/cli/logs/file-follower';
import { rotateLogFile } from '../../../src/logging/log-file-rotation';

/** Resolves once `check` holds, testing it at each output of the follower (bounded by mocha's timeout). */
function until(check: () => boolean, onChange: Array<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const test = () => {
      if (check()) resolve();
    };
    onChange.push(test);
    test();
  });
}

describe('cli/logs/followFile', () => {
  it("follows a log across its rotation: the old file's last lines, then the new file's, none lost or twice", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-follow-'));
    const file = path.join(dir, 'step.log');
    fs.writeFileSync(file, 'old 0\n');
    let out = '';
    const listeners: Array<() => void> = [];
    let stop!: (code: number) => void;
    const following = followFile(
      file,
      fs.statSync(file).size,
      (chunk) => {
        out += chunk.toString();
        for (const l of listeners) l();
      },
      new Promise<number>((resolve) => (stop = resolve)),
    );
    try {
      fs.appendFileSync(file, 'line 1\n');
      await until(() => out.includes('line 1\n'), listeners);
      // Appended and rotated between two polls: line 2 is only in step.log.1 by the time the follower looks.
      fs.appendFileSync(file, 'line 2\n');
      rotateLogFile(file, 3);
      fs.writeFileSync(file, 'line 3\n');
      await until(() => out.includes('line 3\n'), listeners);
      fs.appendFileSync(file, 'line 4\n');
      await until(() => out.includes('line 4\n'), listeners);
      expect(out).to.equal('line 1\nline 2\nline 3\nline 4\n');
    } finally {
      stop(0);
      await following;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
