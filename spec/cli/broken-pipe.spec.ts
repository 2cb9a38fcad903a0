import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { CliSandbox, GATED_ENTRY, SAMPLE_ENTRY } from './support/cli-sandbox';

/** Whether a process has exited (gone, or a zombie its parent has not reaped yet): its descriptors are closed either way. */
function exited(pid: number): boolean {
  try {
    return fs
      .readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * `node <entry> <args> | head -n 1` in a real shell, in the sandbox: resolves `headGone` once head
 * has printed its line and exited (from then on the CLI's writes fail with EPIPE); the CLI's exit
 * code and stderr are kept in the sandbox.
 */
function pipeIntoHead(sandbox: CliSandbox, entry: string, args: string[], cleanups: Array<() => void>) {
  const dir = sandbox.dir;
  const script = `{ "$0" "$1" ${args.join(' ')}; echo $? > "$2/cli.code"; } 2> "$2/cli.err" | sh -c 'echo $$ > "$0/head.pid"; exec head -n 1' "$2"`;
  const shell = spawn('sh', ['-c', script, process.execPath, entry, dir], {
    cwd: dir,
    env: sandbox.env(),
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  // A pipeline that never ends (the failure these specs look for) must not outlive its spec.
  cleanups.push(() => {
    try {
      process.kill(-shell.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  let seen = '';
  shell.stdout.on('data', (d: Buffer) => (seen += d.toString()));
  const closed = new Promise<number | null>((resolve) => shell.on('close', resolve));
  const headPid = path.join(dir, 'head.pid');
  const headGone = async (): Promise<string> => {
    while (!(
      seen.includes('\n') &&
      fs.existsSync(headPid) &&
      fs.readFileSync(headPid, 'utf8').trim() &&
      exited(Number(fs.readFileSync(headPid, 'utf8')))
    ))
      await sleep(10);
    return seen;
  };
  return {
    headGone,
    closed,
    code: () => fs.readFileSync(path.join(dir, 'cli.code'), 'utf8').trim(),
    stderr: () => fs.readFileSync(path.join(dir, 'cli.err'), 'utf8'),
  };
}

describe('cli output into a closed pipe', () => {
  let sandbox: CliSandbox;
  const cleanups: Array<() => void> = [];
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    sandbox.cleanup();
  });

  it('`run ... | head -n 1`: the run goes on to its end and records its states, no EPIPE stack trace, the lease is released', async () => {
    const pipeline = pipeIntoHead(sandbox, GATED_ENTRY, ['run', 'gated', '-t', '2026112600'], cleanups);
    // head printed the first line and is gone: from now on every write of the CLI to stdout fails with EPIPE.
    expect(await pipeline.headGone()).to.match(/gated 2026112600 run started: 4 steps to run\n$/);
    for (const step of ['extract', 'transform', 'audit', 'load']) sandbox.open(step);

    await pipeline.closed;
    expect(pipeline.stderr()).to.equal('');
    expect(pipeline.code()).to.equal('0');
    expect(sandbox.flows().map((f) => f.state)).to.deep.equal(['processed']);
    expect(sandbox.steps('gated', '2026112600').map((s) => s.state)).to.deep.equal(['processed', 'processed', 'processed', 'processed']);
    const db = new Database(sandbox.database, { readonly: true });
    try {
      expect(db.prepare('SELECT * FROM flow_lease').all()).to.deep.equal([]);
    } finally {
      db.close();
    }
  });

  it('`logs -f | head -n 1`: following ends, exit 0, once head has gone and the log grows', async () => {
    expect((await sandbox.run(['run', 'hello_world', '-t', '2026112600'])).code).to.equal(0);
    const pipeline = pipeIntoHead(sandbox, SAMPLE_ENTRY, ['logs', 'hello_world', '--follow'], cleanups);
    expect(await pipeline.headGone()).to.match(/ hello_world INFO \[\S+\] run of timeperiod 2026112600 started/);
    // The next lines the follower reads have nobody to go to.
    expect((await sandbox.run(['run', 'hello_world', '-t', '2026112700'])).code).to.equal(0);
    await pipeline.closed;
    expect(pipeline.stderr()).to.equal('');
    expect(pipeline.code()).to.equal('0');
  });
});
