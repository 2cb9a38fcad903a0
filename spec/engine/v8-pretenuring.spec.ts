import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const PROBE = path.join(__dirname, '..', '..', 'bench', 'pretenuring.probe.js');

/** Old-generation growth, in MB, while the probe makes 200,000 short-lived objects with the engine's V8 setting. */
function oldGenerationGrowthMb(): number {
  return Number(execFileSync(process.execPath, [PROBE, 'engine'], { encoding: 'utf8' })) / 1024 / 1024;
}

describe("engine: V8's allocation-site pretenuring", () => {
  // What the engine controls: with its setting, short-lived objects die young. How much V8's own
  // default would have sent to the old generation depends on the machine's load, so that
  // comparison is `node dist/bench/pretenuring.js`, not a spec.
  it('is off once bootstrap has run: short-lived objects stay in the young generation after long-lived ones from the same literal', function () {
    this.timeout(30_000);
    expect(oldGenerationGrowthMb()).to.be.below(0.5);
  });
});
