import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const FIXTURE = path.join(__dirname, 'fixtures', 'missing-tool.fixture.js');

function runFixture(env: Record<string, string | undefined>) {
  const { SYNERGY_REQUIRE_TOOLS: _ignored, ...inherited } = process.env;
  const mocha = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--no-config', '--reporter', 'spec', FIXTURE], {
    encoding: 'utf8',
    env: { ...inherited, ...env },
  });
  return { code: mocha.status, output: `${mocha.stdout}${mocha.stderr}` };
}

describe('spec support: a spec that needs a system tool (chromium, graphviz, tmux)', () => {
  it('is skipped where the tool is missing, with the command that installs it, and the suite passes', () => {
    const { code, output } = runFixture({});
    expect(code).to.equal(0);
    expect(output).to.contain(
      "skipped, 'synergy-flow-absent-tool' is not installed (Debian package synergy-flow-absent-package): install it with `apt-get install -y synergy-flow-absent-package`",
    );
    expect(output).to.match(/1 passing/);
    expect(output).to.match(/1 pending/);
  });

  it('fails, saying what to install, where SYNERGY_REQUIRE_TOOLS=1 (as in CI)', () => {
    const { code, output } = runFixture({ SYNERGY_REQUIRE_TOOLS: '1' });
    expect(code).to.equal(1);
    expect(output).to.contain(
      "Error: 'synergy-flow-absent-tool' is not installed (Debian package synergy-flow-absent-package): install it with `apt-get install -y synergy-flow-absent-package`; SYNERGY_REQUIRE_TOOLS=1 makes a missing tool fail",
    );
    expect(output).to.match(/1 failing/);
  });
});
