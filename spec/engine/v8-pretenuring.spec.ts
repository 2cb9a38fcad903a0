import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'pretenuring.fixture.js');
const BOOTSTRAP_FIXTURE = path.join(__dirname, 'fixtures', 'pretenuring-bootstrap.fixture.js');

/** Old-generation growth, in MB, while the fixture makes 200,000 short-lived objects. */
function oldGenerationGrowthMb(mode: 'engine' | 'default'): number {
  return Number(execFileSync(process.execPath, [FIXTURE, mode], { encoding: 'utf8' })) / 1024 / 1024;
}

/** The same, after bootstrap() with the default options. */
function growthAfterBootstrapMb(): number {
  return Number(execFileSync(process.execPath, ['--expose-gc', BOOTSTRAP_FIXTURE], { encoding: 'utf8' })) / 1024 / 1024;
}

describe("engine: V8's allocation-site pretenuring", () => {
  it('is off once tuned: short-lived objects stay in the young generation after long-lived ones from the same literal', function () {
    this.timeout(30_000);
    // The control: V8's default sends them all to the old generation (~9 MB), where only a major
    // collection frees them. If this fails, V8 changed and disableAllocationSitePretenuring may go.
    expect(oldGenerationGrowthMb('default')).to.be.above(5);
    expect(oldGenerationGrowthMb('engine')).to.be.below(0.5);
  });

  it('is a process-wide change, so opt-in (tuneV8: true, or app.cli()): bootstrap() with the defaults leaves V8 as it was', function () {
    this.timeout(30_000);
    expect(growthAfterBootstrapMb()).to.be.above(5);
  });
});
