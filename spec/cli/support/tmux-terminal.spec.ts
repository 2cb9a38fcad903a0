import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireSystemTool, TMUX } from '../../support/system-tool';
import { TmuxTerminal } from './tmux-terminal';

describe('spec support: the tmux terminal', () => {
  before(function () {
    requireSystemTool(this, TMUX);
  });

  it('keeps its server socket in a folder of its own, and leaves nothing behind once closed', async () => {
    // holdOpen: the session outlives the command, as in the specs that use it
    const terminal = new TmuxTerminal(['true'], { cwd: os.tmpdir(), env: {}, holdOpen: true });
    try {
      await terminal.waitFor('the command ended', () => terminal.exitStatus() !== null);
      // tmux's default is <TMUX_TMPDIR or /tmp>/tmux-<uid>/, a fixed folder it never removes.
      const sockets = fs
        .readdirSync(terminal.dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => path.basename(f).startsWith('synergy-flow-spec-'));
      expect(sockets).to.have.length(1);
    } finally {
      terminal.close();
    }
    expect(fs.existsSync(terminal.dir)).to.equal(false);
  });
});
