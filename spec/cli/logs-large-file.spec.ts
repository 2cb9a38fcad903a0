import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CliSandbox, SAMPLE_ENTRY } from './support/cli-sandbox';

const run = promisify(execFile);
/** The CLI's heap in these specs: well under the log's size, so a CLI that holds the log in a string dies. */
const HEAP = ['--max-old-space-size=24'];
const LOG_BYTES = 200 * 1024 * 1024;
const LAST_LINES = 'line 1\nline 2\nline 3\nline 4\n';

describe('cli logs on a log much larger than its heap', () => {
  let sandbox: CliSandbox;
  let log: string;
  beforeEach(() => {
    sandbox = new CliSandbox();
    log = path.join(sandbox.dir, 'logs', 'hello_world', 'hello_world.log');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    // Sparse: 200 MB long, no disk used, and its last lines at its very end.
    fs.writeFileSync(log, '');
    fs.truncateSync(log, LOG_BYTES);
    fs.appendFileSync(log, `\n${LAST_LINES}`);
  });
  afterEach(() => sandbox.cleanup());

  it('`logs -n 3` reads from the end: the last 3 lines, exit 0', async () => {
    const { stdout, stderr } = await run(process.execPath, [...HEAP, SAMPLE_ENTRY, 'logs', 'hello_world', '-n', '3'], {
      cwd: sandbox.dir,
      env: sandbox.env(),
    });
    expect(stderr).to.equal('');
    expect(stdout).to.equal('line 2\nline 3\nline 4\n');
  });

  it('`logs` streams the whole file to stdout', async function () {
    // 200 MB through a pipe: seconds on a loaded machine.
    this.timeout(120_000);
    const script = `"$0" ${HEAP.join(' ')} "$1" logs hello_world | wc -c`;
    const { stdout, stderr } = await run('sh', ['-c', script, process.execPath, SAMPLE_ENTRY], { cwd: sandbox.dir, env: sandbox.env() });
    expect(stderr).to.equal('');
    // Every byte of it, as stored: off a terminal the sparse part's zero bytes go out as they are (log-output.ts).
    expect(Number(stdout.trim())).to.equal(fs.statSync(log).size);
  });
});
