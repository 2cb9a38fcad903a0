import { expect } from 'chai';
import * as path from 'node:path';
import { CliSandbox } from './support/cli-sandbox';

const ENTRY = path.resolve(__dirname, 'fixtures/long-chain-entry.js');
const TP = '2026112600';

/** What a run prints after its progress lines: from the line that ends the run. */
function end(stdout: string): string[] {
  const lines = stdout.trimEnd().split('\n');
  return lines.slice(lines.findIndex((l) => / run ended /.test(l)) + 1);
}

describe('cli: the final states of a large flow off a terminal (a CI log)', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => sandbox.run(args, { entry: ENTRY, env });

  it('a run of 1,000 steps ends with counts per state and the steps not done, failed first, not with 1,000 rows', async () => {
    const { code, stdout } = await cli(['run', 'long_chain', '-t', TP], { SYNERGY_FAIL_STEP: 'step_0500' });
    expect(code).to.equal(1);
    const tail = end(stdout);
    expect(tail[0]).to.match(/^long_chain 2026112600: invalid \(run, [\d.]+s\)$/);
    expect(tail[1]).to.equal('1000 steps: 499 processed, 1 invalid, 500 embryo');
    expect(tail[2]).to.equal('not done:');
    expect(tail[3]).to.match(/^STEP\s+STATE\s+ATTEMPT\s+STARTED\s+DURATION\s+ERROR$/);
    expect(tail[4]).to.match(/^step_0500\s+invalid\s+1\s.*Error: step_0500 failed on purpose$/);
    expect(tail.slice(5, 24).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).to.deep.equal(
      Array.from({ length: 19 }, (_, i) => `step_0${501 + i} embryo`),
    );
    expect(tail[24]).to.equal('… and 481 more not done');
    expect(tail[25]).to.match(/ status long_chain -t 2026112600 \(or --json\)$/);
    expect(tail[26]).to.match(/^long_chain 2026112600 run: invalid in [\d.]+s \(499\/1000 done, 1 failed\)$/);
    expect(tail.slice(27)).to.deep.equal([`fix the cause, then: node ${ENTRY} recover long_chain -t ${TP}`]);
    expect(stdout, 'no row of a processed step').to.not.match(/^step_\d+\s+processed\s/m);
  });

  it('its progress lines are the start, the failure and the end (and a tally every 10 s), not two lines per step', async () => {
    const { stdout } = await cli(['run', 'long_chain', '-t', TP], { SYNERGY_FAIL_STEP: 'step_0500' });
    const lines = stdout.trimEnd().split('\n');
    const progress = lines.slice(0, lines.findIndex((l) => / run ended /.test(l)) + 1);
    const tallies = progress.filter((l) => / progress: \d+\/1000 done, \d+ running$/.test(l));
    const rest = progress.filter((l) => !tallies.includes(l));
    expect(rest, rest.slice(0, 5).join('\n')).to.have.length(3);
    expect(rest[0]).to.match(
      /^\d\d:\d\d:\d\d long_chain 2026112600 run started: 1000 steps to run \(a line per failure or retry, progress at most every 10s\)$/,
    );
    expect(rest[1]).to.match(
      /^\d\d:\d\d:\d\d long_chain 2026112600 step_0500 invalid after [\d.]+s \[499\/1000, 1 failed\]: Error: step_0500 failed on purpose$/,
    );
    expect(rest[2]).to.match(/^\d\d:\d\d:\d\d long_chain 2026112600 run ended invalid: 499\/1000 done, 1 failed$/);
    // A 1,000-step no-op chain runs in a second or two; on a loaded machine, a tally or two.
    expect(tallies.length).to.be.at.most(3);
  });

  it('recover (and --no-progress) end with the counts alone once every step is done; --json and status keep every step', async () => {
    await cli(['run', 'long_chain', '-t', TP, '--no-progress'], { SYNERGY_FAIL_STEP: 'step_0999' });
    const recover = await cli(['recover', 'long_chain', '-t', TP, '--no-progress']);
    expect(recover.code).to.equal(0);
    const lines = recover.stdout.trimEnd().split('\n');
    expect(lines).to.have.length(4);
    expect(lines[0]).to.match(/^long_chain 2026112600: processed \(recover, [\d.]+s\)$/);
    expect(lines[1]).to.equal('1000 steps: 1000 processed');
    expect(lines[2]).to.match(/ status long_chain -t 2026112600 \(or --json\)$/);
    expect(lines[3]).to.match(/^long_chain 2026112600 recover: processed in [\d.]+s \(2\/2 done\)$/);

    const json = await cli(['recover', 'long_chain', '-t', TP, '--json']);
    expect((JSON.parse(json.stdout) as { steps: unknown[] }).steps).to.have.length(1000);
    const status = await cli(['status', 'long_chain', '-t', TP]);
    expect(status.stdout.split('\n').filter((l) => /^step_\d+\s+processed\s/.test(l))).to.have.length(1000);
  });

  it(`a flow of 50 steps still ends with the table of every step`, async () => {
    const { code, stdout } = await cli(['run', 'long_chain', '-t', TP, '--no-progress'], { SYNERGY_CHAIN_STEPS: '50' });
    expect(code).to.equal(0);
    expect(stdout.split('\n').filter((l) => /^step_\d+\s+processed\s/.test(l))).to.have.length(50);
  });
});
