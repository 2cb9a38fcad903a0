import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox } from './support/cli-sandbox';

const STRAY_ENTRY = path.resolve(__dirname, 'fixtures/stray-error-entry.js');
const PASSWORD = 'Hunter2-Stray-Secret';

/**
 * An action's error that nothing handles ends the CLI the way SIGTERM does, not the way Node
 * would: printed without the secrets it quotes, the run recorded, the lease released.
 */
describe('cli: an error an action leaves unhandled', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  for (const [kind, what] of [
    ['rejection', 'an unhandled promise rejection'],
    ['exception', 'an uncaught exception'],
  ] as const) {
    it(`${what} during a run: printed redacted, the running step recorded canceled, the lease released, exit 1`, async () => {
      const run = await sandbox.run(['run', 'stray', '-t', '2026112600', '--no-progress'], {
        entry: STRAY_ENTRY,
        env: { STRAY_PASSWORD: PASSWORD, STRAY_KIND: kind },
      });
      expect(run.stdout + run.stderr).not.to.include(PASSWORD);
      expect(run.stderr).to.include(`synergy-flow: an action (or other code of the application) left ${what}`);
      expect(run.stderr).to.include('Error: login refused: pw=***');
      expect(run.stderr).to.match(/an action left an unhandled error: cancelling 1 flow run\(s\)/);
      expect(run.code).to.equal(1);
      expect(sandbox.flows().map((f) => f.state)).to.deep.equal(['invalid']);
      const steps = sandbox.steps('stray', '2026112600');
      expect(steps.map((s) => [s.step_name, s.state])).to.deep.equal([
        ['leaky', 'canceled'],
        ['report', 'embryo'],
      ]);
      expect(steps[0].error).to.match(/FlowCancelledError: .*an action left an unhandled error/);
      expect(sandbox.query('SELECT * FROM flow_lease')).to.deep.equal([]);
      // A failure, though it reached the run as a cancel: the run's end is an ERROR line.
      const flowLog = fs.readFileSync(path.join(sandbox.dir, 'logs', 'stray', 'stray.log'), 'utf8');
      expect(flowLog).to.match(/ ERROR \[2026112600#[^\]]+\] run of timeperiod 2026112600 ended invalid/);
    });
  }

  it('an uncaught exception from a timer that fires after the run ended: printed redacted, exit 1, the run kept processed', async () => {
    const run = await sandbox.run(['run', 'stray', '-t', '2026112600', '--no-progress'], {
      entry: STRAY_ENTRY,
      env: { STRAY_PASSWORD: PASSWORD, STRAY_KIND: 'late' },
    });
    expect(run.stdout + run.stderr).not.to.include(PASSWORD);
    expect(run.stderr).to.include('synergy-flow: an action (or other code of the application) left an uncaught exception');
    expect(run.stderr).to.include('Error: login refused: pw=***');
    expect(run.code).to.equal(1);
    expect(sandbox.flows().map((f) => f.state)).to.deep.equal(['processed']);
  });

  it("a program's own uncaughtException handler keeps its policy, for a rejection too (Node raises it as an uncaught exception)", async () => {
    const run = await sandbox.run(['run', 'stray', '-t', '2026112600', '--no-progress'], {
      entry: STRAY_ENTRY,
      env: { STRAY_PASSWORD: PASSWORD, STRAY_KIND: 'rejection', STRAY_OWN_HANDLER: '1' },
    });
    expect(run.stderr).to.include('own handler: Error');
    expect(run.stderr).not.to.include('synergy-flow: an action');
    expect(run.code).to.equal(7);
  });
});
