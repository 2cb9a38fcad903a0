import { expect } from 'chai';
import * as path from 'node:path';
import { FakeEmrEndpoint } from '../support/fake-emr-endpoint';
import { CliSandbox, GATED_ENTRY } from './support/cli-sandbox';

const SECRET_ENTRY = path.resolve(__dirname, 'fixtures/secret-entry.js');

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
      const { code, stdout, stderr } = await running.done;
      expect(code).to.equal(exitCode);
      expect(stdout).to.match(
        new RegExp(` extract canceled after [\\d.]+s \\[0/4, 1 canceled\\]: FlowCancelledError: .*${signal} received`),
      );
      // Its summary never comes (the process exits from the shutdown): the way back is said on the way out.
      expect(stderr.trimEnd().split('\n').at(-1)).to.match(
        /^the run was stopped before its end, its states recorded; to finish it: node \S+gated-entry\.js recover gated -t 2026112600$/,
      );
      expect(sandbox.flows().map((f) => f.state)).to.deep.equal(['invalid']);
      expect(sandbox.steps('gated', '2026112600').map((s) => [s.step_name, s.state])).to.deep.equal([
        ['extract', 'canceled'],
        ['transform', 'embryo'],
        ['audit', 'embryo'],
        ['load', 'embryo'],
      ]);
    });
  }

  it('SIGINT during run-one: the hint on the way out is that run-one again; a run that ends by itself prints none', async () => {
    sandbox.open('extract');
    expect((await sandbox.run(['run-one', 'gated', 'extract', '-t', '2026112600'], { entry: GATED_ENTRY })).code).to.equal(0);
    const running = sandbox.start(['run-one', 'gated', 'audit', '-t', '2026112600'], { entry: GATED_ENTRY });
    await running.waitFor(/ audit in_progress on local-\d\n/);
    running.child.kill('SIGINT');
    const { code, stderr } = await running.done;
    expect(code).to.equal(130);
    expect(stderr.trimEnd().split('\n').at(-1)).to.match(
      /^the run was stopped before its end, its states recorded; to finish it: node \S+ run-one gated audit -t 2026112600$/,
    );
    sandbox.open('audit');
    const again = await sandbox.run(['run-one', 'gated', 'audit', '-t', '2026112600'], { entry: GATED_ENTRY });
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).not.to.include('the run was stopped');
  });

  it('SIGINT while EMR clusters are still starting: exit 130 at once, every cluster created is terminated before the process exits', async () => {
    const fake = await FakeEmrEndpoint.start();
    try {
      // Real clusters take minutes to start: these never leave STARTING.
      fake.clusterScript = Array(100_000).fill('STARTING');
      const env = { SECRET_PIN: 'p7', SECRET_KEY: 'k', FAKE_EMR_URL: fake.url };
      const running = sandbox.start(['run', 'quoting_flow', '-t', '2026112600', '--no-progress'], { entry: SECRET_ENTRY, env });
      await until(() => fake.operations().filter((op) => op === 'DescribeCluster').length >= 2);
      running.child.kill('SIGINT');
      const { code } = await running.done;
      expect(code).to.equal(130);
      expect([...fake.clusters.values()].map((c) => c.state)).to.deep.equal(['TERMINATED']);
      expect(sandbox.flows().map((f) => f.state)).to.deep.equal(['invalid']);
    } finally {
      await fake.close();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the EMR calls');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
