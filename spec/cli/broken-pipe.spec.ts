import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { CliSandbox, GATED_ENTRY } from './support/cli-sandbox';

/** Whether a process has exited (gone, or a zombie its parent has not reaped yet): its descriptors are closed either way. */
function exited(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z');
  } catch {
    return true;
  }
}

describe('cli output into a closed pipe', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  it('`run ... | head -n 1`: the run goes on to its end and records its states, no EPIPE stack trace, the lease is released', async () => {
    const dir = sandbox.dir;
    // The CLI's exit code and stderr are kept aside; head records its pid so the spec knows when the pipe is closed.
    const script = `{ "$0" "$1" run gated -t 2026112600; echo $? > "$2/cli.code"; } 2> "$2/cli.err" | sh -c 'echo $$ > "$0/head.pid"; exec head -n 1' "$2"`;
    const shell = spawn('sh', ['-c', script, process.execPath, GATED_ENTRY, dir], { cwd: dir, env: sandbox.env(), stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = '';
    shell.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    const closed = new Promise<number | null>((resolve) => shell.on('close', resolve));

    // head printed the first line and is gone: from now on every write of the CLI to stdout fails with EPIPE.
    const headPid = path.join(dir, 'head.pid');
    while (!(seen.includes('\n') && fs.existsSync(headPid) && fs.readFileSync(headPid, 'utf8').trim() && exited(Number(fs.readFileSync(headPid, 'utf8'))))) await sleep(10);
    expect(seen).to.match(/gated 2026112600 run started: 4 steps to run\n$/);
    for (const step of ['extract', 'transform', 'audit', 'load']) sandbox.open(step);

    await closed;
    expect(fs.readFileSync(path.join(dir, 'cli.err'), 'utf8')).to.equal('');
    expect(fs.readFileSync(path.join(dir, 'cli.code'), 'utf8').trim()).to.equal('0');
    expect(sandbox.flows().map((f) => f.state)).to.deep.equal(['processed']);
    expect(sandbox.steps('gated', '2026112600').map((s) => s.state)).to.deep.equal(['processed', 'processed', 'processed', 'processed']);
    const db = new Database(sandbox.database, { readonly: true });
    try {
      expect(db.prepare('SELECT * FROM flow_lease').all()).to.deep.equal([]);
    } finally {
      db.close();
    }
  });
});
