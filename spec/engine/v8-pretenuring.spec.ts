import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const PROBE = path.join(__dirname, '..', '..', 'bench', 'pretenuring.probe.js');
const BOOTSTRAP_FIXTURE = path.join(__dirname, 'fixtures', 'pretenuring-bootstrap.fixture.js');

/** Old-generation growth, in MB, while the probe makes 200,000 short-lived objects with the engine's V8 setting. */
function oldGenerationGrowthMb(): number {
  return Number(execFileSync(process.execPath, [PROBE, 'engine'], { encoding: 'utf8' })) / 1024 / 1024;
}

/** The V8 flags a process that bootstraps and runs an application set. */
function flagsSetByBootstrap(tuneV8: boolean): string[] {
  return JSON.parse(execFileSync(process.execPath, [BOOTSTRAP_FIXTURE, ...(tuneV8 ? ['tuneV8'] : [])], { encoding: 'utf8' })) as string[];
}

describe("engine: V8's allocation-site pretenuring", () => {
  // What the engine controls: with its setting, short-lived objects die young. How much V8's own
  // default would have sent to the old generation depends on the machine's load, so that
  // comparison is `node dist/bench/pretenuring.js`, not a spec.
  it('is off once tuned: short-lived objects stay in the young generation after long-lived ones from the same literal', function () {
    this.timeout(30_000);
    expect(oldGenerationGrowthMb()).to.be.below(0.5);
  });

  it('is a process-wide change, so opt-in: bootstrap() and a run with the defaults set no V8 flag, tuneV8: true sets it', function () {
    this.timeout(30_000);
    expect(flagsSetByBootstrap(false)).to.deep.equal([]);
    expect(flagsSetByBootstrap(true)).to.deep.equal(['--no-allocation-site-pretenuring']);
  });
});
