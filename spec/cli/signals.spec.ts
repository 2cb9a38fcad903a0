import { expect } from 'chai';
import { CliSandbox, GATED_ENTRY } from './support/cli-sandbox';

/** The app owns SIGINT/SIGTERM during a run; the CLI must let it record the states and exit 130/143. */
describe('cli exit codes on signals', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} during a run: exit ${exitCode}, the running step recorded canceled, the run invalid`, async () => {
      const running = sandbox.start(['run', 'gated', '-t', '2026112600'], { entry: GATED_ENTRY });
      await running.waitFor(/ extract in_progress on local-\d\n/);
      running.child.kill(signal);
      const { code, stdout } = await running.done;
      expect(code).to.equal(exitCode);
      expect(stdout).to.match(new RegExp(` extract canceled after [\\d.]+s \\[0/4, 1 failed\\]: FlowCancelledError: .*${signal} received`));
      expect(sandbox.flows().map((f) => f.state)).to.deep.equal(['invalid']);
      expect(sandbox.steps('gated', '2026112600').map((s) => [s.step_name, s.state])).to.deep.equal([
        ['extract', 'canceled'],
        ['transform', 'embryo'],
        ['audit', 'embryo'],
        ['load', 'embryo'],
      ]);
    });
  }
});
