import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox } from './support/cli-sandbox';

describe('cli list', () => {
  let sandbox: CliSandbox;
  before(() => (sandbox = new CliSandbox()));
  after(() => sandbox.cleanup());

  it('lists every flow with its step count, and its latest run once it has run', async () => {
    const fresh = await sandbox.run(['list']);
    expect(fresh.code).to.equal(0);
    expect(fresh.stdout.split('\n')[0]).to.match(/^FLOW\s+STEPS\s+LATEST RUN\s+STATE\s+DESCRIPTION$/);
    expect(fresh.stdout).to.match(/^hello_world\s+2\s+-\s+never ran$/m);
    expect(fresh.stdout).to.match(/^eight_steps\s+8\s+-\s+never ran$/m);
    // Read-only: a database that does not exist is not created by looking at it.
    expect(fs.existsSync(path.join(sandbox.dir, 'synergy-flow.db')), 'list created the database').to.equal(false);
    const status = await sandbox.run(['status', 'hello_world']);
    expect(status.code).to.equal(2);
    expect(status.stderr).to.include('has never run').and.to.include(path.join(sandbox.dir, 'synergy-flow.db'));
    expect(fs.existsSync(path.join(sandbox.dir, 'synergy-flow.db')), 'status created the database').to.equal(false);

    await sandbox.run(['run', 'hello_world', '-t', '2026112500']);
    await sandbox.run(['run', 'hello_world', '-t', '2026112600']);
    const { code, stdout } = await sandbox.run(['list', '--json']);
    expect(code).to.equal(0);
    const flows = JSON.parse(stdout);
    expect(flows.map((f: { name: string; steps: number }) => [f.name, f.steps])).to.deep.equal([
      ['hello_world', 2],
      ['etl_diamond', 5],
      ['eight_steps', 8],
      ['fail_then_recover', 3],
      ['hourly_ingest', 1],
      ['daily_rollup', 1],
    ]);
    expect(Object.keys(flows[0]).sort()).to.deep.equal(['description', 'latestRun', 'name', 'steps']);
    expect(flows[0].latestRun).to.include({ timeperiod: '2026112600', state: 'processed', runMode: 'run' });
    expect(flows[0].latestRun.finishedAt).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(flows[1].latestRun).to.equal(null);
  });
});
