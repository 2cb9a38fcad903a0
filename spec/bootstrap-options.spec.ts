import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { bootstrap, ConfigurationError, type BootstrapOptions } from '../src';
import { HelloWorldFlow } from '../samples';

const repoRoot = path.resolve(__dirname, '..', '..');

describe('bootstrap() options: one schema, every problem at once', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-bootstrap-options-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function rejection(options: unknown): Promise<ConfigurationError> {
    const error = await bootstrap(options as BootstrapOptions).then(
      async (app) => {
        await app.close();
        return expect.fail('bootstrap accepted the options');
      },
      (err: unknown) => err,
    );
    expect(error).to.be.instanceOf(ConfigurationError);
    return error as ConfigurationError;
  }

  const problems = (error: ConfigurationError) => Object.fromEntries(error.problems.map((p) => [p.path, p.message]));

  it('lists every wrong, out-of-range and unknown option in one ConfigurationError, before anything is created', async () => {
    const database = path.join(dir, 'state.db');
    const error = await rejection({
      flows: [HelloWorldFlow],
      database: { type: 'better-sqlite3', database },
      logDirectory: path.join(dir, 'logs'),
      cluster: { type: 'local', count: 2.5, cdw: '/tmp' },
      gracePeriodMs: 2 ** 31,
      handleSignals: 'yes',
      lease: { ttlMS: 60_000 },
      setings: {},
    });
    expect(error.subject).to.equal('bootstrap() options');
    expect(problems(error)).to.deep.equal({
      'cluster.count': 'must be a whole number from 1 to 1000, got 2.5',
      'cluster.cdw': "unknown option; did you mean 'cwd'?",
      gracePeriodMs: 'must be a whole number of milliseconds from 0 to 2147483647 (2^31 - 1, the longest a timer can wait), got 2147483648',
      handleSignals: 'must be true or false',
      'lease.ttlMS': "unknown option; did you mean 'ttlMs'?",
      setings: "unknown option; did you mean 'settings'?",
    });
    expect(error.message).to.match(/^bootstrap\(\) options have 6 problems:\n {2}- cluster\.count: /);
    expect(fs.readdirSync(dir), 'nothing created').to.deep.equal([]);
  });

  it('refuses what is not an options object, or has no flows list', async () => {
    expect(problems(await rejection(undefined))).to.deep.equal({
      '': 'bootstrap needs an object: bootstrap({ flows: [YourFlowClass, ...] })',
    });
    expect(problems(await rejection({ flow: [HelloWorldFlow] }))).to.deep.equal({
      flows: 'must be a list of @Flow classes, e.g. flows: [DailyEtl]',
      flow: "unknown option; did you mean 'flows'?",
    });
  });

  it('database: checks the type and the fields the engine reads, catches near-miss TypeORM names, lets the others through', async () => {
    const file = path.join(dir, 'state.db');
    expect(problems(await rejection({ flows: [], database: { type: 'mysql', host: 'db' } }))).to.deep.equal({
      'database.type': "unsupported database type 'mysql': use 'better-sqlite3' (a file, the default) or 'postgres'",
    });
    expect(
      problems(await rejection({ flows: [], database: { type: 'better-sqlite3', database: file, enableWal: false, entities: [] } })),
    ).to.deep.equal({
      'database.enableWal': "unknown option; did you mean 'enableWAL'?",
      'database.entities': 'the engine sets its own: remove it (use your own DataSource for your entities)',
    });
    expect(
      problems(await rejection({ flows: [], database: { type: 'postgres', host: 'db', port: 543200, usernme: 'etl' } })),
    ).to.deep.equal({
      'database.port': 'must be a whole number from 1 to 65535, got 543200',
      'database.usernme': "unknown option; did you mean 'username'?",
    });
    expect(problems(await rejection({ flows: [], database: { type: 'better-sqlite3' } }))).to.deep.equal({
      'database.database': "must be the SQLite file's path, or ':memory:'",
    });

    // An option unlike any TypeORM names (a newer TypeORM's, say) reaches TypeORM as it is.
    const app = await bootstrap({
      flows: [HelloWorldFlow],
      database: { type: 'better-sqlite3', database: file, someFutureTypeormFlag: true },
      logDirectory: path.join(dir, 'logs'),
    });
    await app.close();
  });

  it('never repeats a secret: a password, credentials or a URL of the wrong type are named, not shown', async () => {
    const error = await rejection({
      flows: [],
      database: { type: 'postgres', url: 42_4242, password: 31_337_000 },
      credentials: 'AKIA-SECRET-KEY',
    });
    expect(Object.keys(problems(error))).to.have.members(['database.url', 'database.password', 'credentials']);
    expect(error.message).not.to.match(/424242|31337000|AKIA-SECRET-KEY/);
  });

  it('the types come from the same schemas: a misspelt option fails tsc', async function () {
    this.timeout(60_000);
    // Compiled against the package's published declarations, as a user's project would be.
    const file = path.join(dir, 'user-app.ts');
    const api = JSON.stringify(path.join(repoRoot, 'dist', 'src', 'index.js'));
    fs.writeFileSync(
      file,
      [
        `import { bootstrap, Main, Pre, Step, type BootstrapOptions } from ${api};`,
        `const good: BootstrapOptions = { flows: [], lease: { ttlMs: 60_000 }, cluster: { type: 'local', count: 4 }, gracePeriodMs: 1000 };`,
        `void bootstrap(good);`,
        `void bootstrap({ flows: [], lease: { ttlMS: 1 } });`,
        `void bootstrap({ flows: [], cluster: { type: 'local', cout: 2 } });`,
        `@Step({ retires: 2 })`,
        `class Load { @Main() run() {} @Pre({ timeout: 5 }) prepare() {} }`,
        `void Load;`,
      ].join('\n'),
    );
    const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');
    const args = [
      '--noEmit',
      '--strict',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--experimentalDecorators',
      '--skipLibCheck',
    ];
    const output = await promisify(execFile)(
      tsc,
      [...args, '--typeRoots', path.join(repoRoot, 'node_modules', '@types'), '--types', 'node', file],
      { cwd: dir },
    ).then(
      () => expect.fail('tsc accepted the misspelt options'),
      (err: { stdout: string }) => err.stdout,
    );
    // One entry per error (an overload error spans several lines): its line and the unknown name.
    const errors = output
      .split(/^(?=user-app\.ts\()/m)
      .filter(Boolean)
      .map((error) => `${/^user-app\.ts\((\d+),/.exec(error)?.[1]}: ${/'(\w+)' does not exist/.exec(error)?.[1] ?? error}`);
    expect(errors, output).to.deep.equal(['4: ttlMS', '5: cout', '6: retires', '7: timeout']);
  });
});
