import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const PROBE = path.join(__dirname, '..', '..', 'bench', 'pretenuring.probe.js');
const BOOTSTRAP_FIXTURE = path.join(__dirname, 'fixtures', 'pretenuring-bootstrap.fixture.js');

/**
 * Old-generation growth, in MB, while the probe makes 200,000 short-lived objects with the engine's V8
 * setting: the least of three processes. A collection of the long-lived objects that a loaded machine
 * delays into the measurement can add to one process's figure (14 MB once, in CI); pretenuring left
 * on adds about 9.5 MB to every one. (A forced gc() before measuring is no cure: with so few
 * survivors, V8 resets every pretenuring decision, and the default then measures 0 as well.)
 */
function oldGenerationGrowthMb(): number {
  const growth = () => Number(execFileSync(process.execPath, [PROBE, 'engine'], { encoding: 'utf8' }));
  return Math.min(growth(), growth(), growth()) / 1024 / 1024;
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
