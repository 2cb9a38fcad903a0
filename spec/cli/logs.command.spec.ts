import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox, GATED_ENTRY } from './support/cli-sandbox';

describe('cli logs', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  it("prints the flow's log, a step's log, or its last lines", async () => {
    await sandbox.run(['run', 'hello_world', '-t', '2026112600']);
    const flowLog = fs.readFileSync(path.join(sandbox.dir, 'logs', 'hello_world', 'hello_world.log'), 'utf8');
    const flow = await sandbox.run(['logs', 'hello_world']);
    expect(flow.code).to.equal(0);
    expect(flow.stdout).to.equal(flowLog);
    expect(flow.stdout).to.match(/ hello_world INFO \[\S+\] run of timeperiod 2026112600 started/);
    expect(flow.stdout).to.match(/ hello_world INFO \[\S+\] step world processed/);

    const step = await sandbox.run(['logs', 'hello_world', 'world']);
    expect(step.code).to.equal(0);
    expect(step.stdout).to.include('world of 2026112600');
    expect(step.stdout).not.to.include('hello, timeperiod');

    const last = await sandbox.run(['logs', 'hello_world', '-n', '1']);
    expect(last.stdout).to.equal(`${flowLog.trimEnd().split('\n').at(-1)}\n`);
  });

  it('--follow prints what a run in another process writes, and Ctrl-C ends it with 130', async () => {
    const follow = sandbox.start(['logs', 'gated', 'extract', '--follow'], { entry: GATED_ENTRY });
    const run = sandbox.start(['run', 'gated', '-t', '2026112600'], { entry: GATED_ENTRY });
    await follow.waitFor(/ extract INFO \[\S+\] attempt 1 started on cluster local-\d\n/);
    sandbox.open('extract');
    await follow.waitFor(/ extract INFO \[\S+\] processed in [\d.]+ ms\n/);
    for (const step of ['transform', 'audit', 'load']) sandbox.open(step);
    expect((await run.done).code).to.equal(0);
    follow.child.kill('SIGINT');
    const { code, signal, stderr } = await follow.done;
    expect([code, signal, stderr]).to.deep.equal([130, null, '']);
  });

  it('--follow ends with 143 on SIGTERM', async () => {
    await sandbox.run(['run', 'hello_world', '-t', '2026112600']);
    const follow = sandbox.start(['logs', 'hello_world', '--follow']);
    await follow.waitFor(/step world processed/);
    follow.child.kill('SIGTERM');
    expect((await follow.done).code).to.equal(143);
  });

  it('an unknown step or a log that does not exist yet: exit 2 and what to do', async () => {
    const unknown = await sandbox.run(['logs', 'hello_world', 'wrold']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.equal(
      "error: flow 'hello_world' has no step 'wrold' (did you mean 'world'?): its steps are 'hello', 'world'\n",
    );
    const none = await sandbox.run(['logs', 'hello_world']);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(
      /^error: no log yet at \S+hello_world\.log: run the flow first \('node \S+ run hello_world -t <timeperiod>'\), or wait for it with --follow\n$/,
    );
  });
});
