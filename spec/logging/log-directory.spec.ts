import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootstrap, LogDirectoryError } from '../../src';
import { HelloWorldFlow } from '../../samples';
import { CliSandbox } from '../cli/support/cli-sandbox';

const REPO = path.resolve(__dirname, '../..');

describe('logging: a log directory that cannot be written', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-logdir-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a read-only directory: bootstrap() fails with an error naming it and the fix, before the database is created', () => {
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    fs.chmodSync(logs, 0o555);
    fs.chmodSync(dir, 0o777);
    const script = `
      const { bootstrap } = require(${JSON.stringify(path.join(REPO, 'src'))});
      const { HelloWorldFlow } = require(${JSON.stringify(path.join(REPO, 'samples'))});
      bootstrap({ flows: [HelloWorldFlow], database: { type: 'better-sqlite3', database: ${JSON.stringify(path.join(dir, 'state.db'))} }, logDirectory: ${JSON.stringify(logs)} })
        .then(() => console.log('bootstrapped'), (err) => console.log(JSON.stringify({ name: err.name, message: err.message })));`;
    // Root writes through the permission bits: the read-only directory is tried as another user.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', ...user });
    expect(child.error, 'the child process could not start (is node reachable by that user?)').to.equal(undefined);
    expect(child.stderr).to.equal('');
    expect(JSON.parse(child.stdout)).to.deep.equal({
      name: 'LogDirectoryError',
      message: `cannot write logs in ${logs} (EACCES: permission denied): make it writable by this user, or pass bootstrap() a logDirectory it can write`,
    });
    expect(fs.readdirSync(dir)).to.deep.equal(['logs']);
    expect(fs.readdirSync(logs)).to.deep.equal([]);
  });

  it('a path through a dangling symbolic link or a file: the same error, saying which', async () => {
    fs.symlinkSync(path.join(dir, 'gone'), path.join(dir, 'link'));
    fs.writeFileSync(path.join(dir, 'file'), '');
    const database = { type: 'better-sqlite3' as const, database: path.join(dir, 'state.db') };
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'link', 'logs'), /\(ENOENT: a part of its path does not exist, a dangling symbolic link perhaps\)/],
      [path.join(dir, 'file', 'logs'), /\(ENOTDIR: a part of its path is a file, not a directory\)/],
    ];
    for (const [logDirectory, why] of cases) {
      const error = await bootstrap({ flows: [HelloWorldFlow], database, logDirectory, handleSignals: false }).then(
        () => expect.fail('bootstrapped'),
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(LogDirectoryError);
      expect((error as Error).message)
        .to.match(why)
        .and.to.include(`cannot write logs in ${logDirectory} `);
    }
    expect(fs.existsSync(database.database)).to.equal(false);
  });

  it('SYNERGY_FLOW_LOGS under /proc: the CLI ends within seconds with the error naming the directory, instead of spinning for ever', async () => {
    const sandbox = new CliSandbox();
    try {
      // Node 20's recursive mkdir looped there at 100% CPU: the command never ended.
      const cli = sandbox.start(['list'], { env: { SYNERGY_FLOW_LOGS: '/proc/synergy-x' } });
      const stop = setTimeout(() => cli.child.kill('SIGKILL'), 10_000);
      const { code, signal, stderr } = await cli.done.finally(() => clearTimeout(stop));
      expect(signal, 'killed after 10 s').to.equal(null);
      expect(code).to.equal(2);
      expect(stderr).to.equal(
        'error: the app failed to start: LogDirectoryError: cannot write logs in /proc/synergy-x (ENOENT: /proc takes no new folder, a virtual file system such as /proc perhaps): ' +
          'make it writable by this user, or pass bootstrap() a logDirectory it can write\n',
      );
    } finally {
      sandbox.cleanup();
    }
  });
});
