import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAMPLE_ENTRY } from './support/cli-sandbox';

const LIBRARY = path.resolve(__dirname, '../../src/index.js');
/** Printed by a --require hook at exit: every module file the process loaded. */
const LIST_LOADED = `process.on('exit', () => require('fs').writeSync(2, '\\nLOADED\\n' + Object.keys(require.cache).join('\\n') + '\\n'))`;

/** What `--help` or `list` never need: the database and its ORM, the viewer, the AWS SDK, the terminal views. */
const HEAVY = /node_modules\/(typeorm|better-sqlite3|pg|fastify|@aws-sdk\/[^/]+|listr2)\//;

/**
 * What `--help`, `--version` and `list` of an app whose options are valid never need: the option
 * schemas (zod takes longer to load than the rest of the start), tsyringe for step classes
 * without constructor parameters (the samples' are all such), and rxjs (until events$ is watched).
 */
const SCHEMAS_AND_CONTAINER = ['tsyringe', 'zod', 'rxjs'];

/** The packages a process loaded, from the module files it listed. */
function packagesIn(listing: string): string[] {
  const names = listing.split('\n').map((file) => file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1]);
  return [...new Set(names.filter((n): n is string => !!n))].sort();
}

describe('cli loading', () => {
  let dir: string;
  let hook: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-loading-'));
    hook = path.join(dir, 'list-loaded.js');
    fs.writeFileSync(hook, LIST_LOADED);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `run hello_world` of an entry file, which must succeed: the files it loaded and their packages. */
  function runHelloWorld(entry: string): { listing: string; packages: string[] } {
    const result = spawnSync(process.execPath, ['--require', hook, entry, 'run', 'hello_world', '-t', '2026112600'], {
      cwd: dir,
      env: withoutDatabaseDefaults(),
    });
    const stderr = result.stderr.toString();
    expect(result.status, stderr).to.equal(0);
    expect(result.stdout.toString()).to.match(/hello_world 2026112600 run: processed/);
    const listing = stderr.slice(stderr.lastIndexOf('\nLOADED\n'));
    return { listing, packages: packagesIn(listing) };
  }

  function run(args: string[], status = 0): { stdout: string; packages: string[] } {
    const result = spawnSync(process.execPath, ['--require', hook, ...args], { cwd: dir, env: withoutDatabaseDefaults() });
    const stderr = result.stderr.toString();
    expect(result.status, stderr).to.equal(status);
    return { stdout: result.stdout.toString(), packages: packagesIn(stderr.slice(stderr.lastIndexOf('\nLOADED\n'))) };
  }

  it('import of the library loads neither the database, the viewer, the AWS SDK, commander, listr2, zod nor tsyringe', () => {
    const { packages } = run(['-e', `require(${JSON.stringify(LIBRARY)})`]);
    expect(packages.filter((p) => HEAVY.test(`node_modules/${p}/`) || p === 'commander')).to.deep.equal([]);
    expect(packages.filter((p) => SCHEMAS_AND_CONTAINER.includes(p))).to.deep.equal([]);
  });

  it('--help, --version and list of an app with valid options load no option schema (zod) and no tsyringe', () => {
    for (const args of [['--help'], ['--version'], ['list'], ['list', '--json']]) {
      const { packages } = run([SAMPLE_ENTRY, ...args]);
      expect(packages, args.join(' ')).to.include('commander');
      expect(
        packages.filter((p) => SCHEMAS_AND_CONTAINER.includes(p)),
        args.join(' '),
      ).to.deep.equal([]);
    }
  });

  it('an option the quick checks cannot vouch for still goes to its schema, which names the problem', () => {
    const entry = path.join(dir, 'bad-options.js');
    fs.writeFileSync(
      entry,
      `const { bootstrap } = require(${JSON.stringify(LIBRARY)});
const { HelloWorldFlow } = require(${JSON.stringify(path.join(path.dirname(SAMPLE_ENTRY), 'index.js'))});
bootstrap({ flows: [HelloWorldFlow], gracePeriodMs: -1, logDirectroy: 'x' }).then(
  () => process.exit(0),
  (err) => { console.log(err.name + ': ' + err.message); process.exitCode = 2; },
);`,
    );
    const { stdout, packages } = run([entry], 2);
    expect(stdout).to.match(/^ConfigurationError: bootstrap\(\) options have 2 problems/);
    expect(stdout).to.include('gracePeriodMs: must be a whole number of milliseconds from 0');
    expect(stdout).to.include("logDirectroy: unknown option; did you mean 'logDirectory'?");
    expect(packages).to.include('zod');
  });

  it('--help loads commander but not the database, the viewer, the AWS SDK or listr2', () => {
    const { stdout, packages } = run([SAMPLE_ENTRY, '--help']);
    expect(stdout).to.include('Usage:');
    expect(packages).to.include('commander');
    expect(packages.filter((p) => HEAVY.test(`node_modules/${p}/`))).to.deep.equal([]);
  });

  it('list of a database that does not exist prints the flows as never ran, loads no database and creates none', () => {
    const { stdout, packages } = run([SAMPLE_ENTRY, 'list']);
    expect(stdout).to.match(/^hello_world\s+2\s+-\s+never ran$/m);
    expect(packages.filter((p) => HEAVY.test(`node_modules/${p}/`))).to.deep.equal([]);
    expect(fs.existsSync(path.join(dir, 'synergy-flow.db'))).to.equal(false);
  });

  it('run of an app with valid options loads no option schema (zod), no log4js, and of rxjs only what it uses', () => {
    const { listing, packages } = runHelloWorld(SAMPLE_ENTRY);
    expect(packages).to.include.members(['typeorm', 'better-sqlite3', 'rxjs']);
    // zod: the run, lease and log options are vouched for by quick checks; log4js: the app never configured it.
    expect(packages.filter((p) => ['zod', 'log4js'].includes(p))).to.deep.equal([]);
    // rxjs's index loads every operator (~220 files); the engine and the progress view need a few dozen.
    expect(listing.split('\n').filter((file) => file.includes('node_modules/rxjs/')).length).to.be.below(60);
  });

  it('run of an app that names its database and clusters loads no option schema (zod) either', () => {
    const { packages } = runHelloWorld(path.join(__dirname, 'fixtures', 'configured-entry.js'));
    expect(fs.existsSync(path.join(dir, 'configured.db')), 'the database it names').to.equal(true);
    expect(packages).to.include.members(['typeorm', 'better-sqlite3']);
    expect(packages).to.not.include('zod');
  });

  it('graph and logs, which read no state, load no database and create none', () => {
    expect(
      run([SAMPLE_ENTRY, 'graph', 'hello_world', '--format', 'mermaid']).packages.filter((p) => HEAVY.test(`node_modules/${p}/`)),
    ).to.deep.equal([]);
    // Nothing ran here: exit 2, no log yet.
    expect(run([SAMPLE_ENTRY, 'logs', 'hello_world'], 2).packages.filter((p) => HEAVY.test(`node_modules/${p}/`))).to.deep.equal([]);
    expect(fs.existsSync(path.join(dir, 'synergy-flow.db'))).to.equal(false);
  });
});

/** The samples' defaults (a SQLite file in the current folder) unless the environment of the spec run chose others. */
function withoutDatabaseDefaults(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.SYNERGY_FLOW_DATABASE;
  delete env.SYNERGY_FLOW_LOGS;
  return env;
}
