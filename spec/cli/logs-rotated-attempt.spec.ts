import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox } from './support/cli-sandbox';

const ENTRY = path.resolve(__dirname, 'fixtures/loud-output-entry.js');

describe('cli logs --attempt of an attempt whose first line was rotated out', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  it('`logs <flow> <step> --run <id> --attempt 1` prints what is left of the attempt: the lines of its run in the step log', async () => {
    const run = await sandbox.run(['run', 'loud', '-t', '2026120100'], { entry: ENTRY });
    expect(run.code, run.stderr).to.equal(0);
    const dir = path.join(sandbox.dir, 'logs', 'loud');
    const files = ['spew.log.2', 'spew.log.1', 'spew.log'].map((f) => path.join(dir, f));
    const kept = files.map((f) => fs.readFileSync(f, 'utf8')).join('');
    // the output (~270 KB of base64) rotated the 16 KiB files many times: its start is gone
    expect(kept).to.not.include('attempt 1 started');
    const runId = /\[2026120100#([0-9a-z]+)\]/.exec(kept)![1];

    const attempt = await sandbox.run(['logs', 'loud', 'spew', '-t', '2026120100', '--run', runId, '--attempt', '1'], { entry: ENTRY });
    expect(attempt.code, attempt.stderr).to.equal(0);
    expect(attempt.stdout).to.equal(kept);
    expect(attempt.stdout.split('\n', 1)[0]).to.match(
      new RegExp(` spew INFO \\[2026120100#${runId}\\] attempt 1 continues \\(the log rotated\\)$`),
    );
    expect(attempt.stdout.trimEnd().split('\n').at(-1)).to.match(/ spew INFO \[\S+\] processed in /);
  });
});
