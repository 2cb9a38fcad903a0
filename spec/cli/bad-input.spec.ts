import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, CliSandbox, NO_APP_ENTRY, SAMPLE_ENTRY } from './support/cli-sandbox';

/** Each case: exit 2, exactly one line on stderr that says what to type, nothing on stdout, nothing written. */
describe('cli bad input', () => {
  let sandbox: CliSandbox;
  let persisted: string;
  before(async () => {
    sandbox = new CliSandbox();
    await sandbox.run(['run', 'hello_world', '-t', '2026112600']);
    persisted = sandbox.snapshot();
  });
  afterEach(() => expect(sandbox.snapshot(), 'the database').to.equal(persisted));
  after(() => sandbox.cleanup());

  async function rejected(args: string[], options: { entry?: string } = {}): Promise<string> {
    const { code, stdout, stderr } = await sandbox.run(args, options);
    expect(code, stderr).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr.split('\n'))
      .to.have.length(2)
      .and.to.satisfy((lines: string[]) => lines[1] === '');
    expect(stderr).not.to.match(/\n\s+at /);
    return stderr.trimEnd();
  }

  it('an unknown command: the commands there are, and the closest one', async () => {
    expect(await rejected(['frobnicate'])).to.match(
      /^error: unknown command 'frobnicate'; the commands are list, run, recover, run-one, run-from, backfill, status, graph, logs(, [a-z-]+)*; see 'node \S+main\.js --help'$/,
    );
    expect(await rejected(['stauts', 'hello_world'])).to.match(
      /^error: unknown command 'stauts' \(did you mean status\?\); the commands are .*; see '.* --help'$/,
    );
  });

  it('an unknown flow: the flows there are, and the closest one', async () => {
    expect(await rejected(['run', 'hello_wrold', '-t', '2026112600'])).to.equal(
      "error: unknown flow 'hello_wrold' (did you mean 'hello_world'?): the flows registered with bootstrap() are 'hello_world', 'etl_diamond', 'eight_steps', 'fail_then_recover', 'hourly_ingest', 'daily_rollup'; pass the @Flow class in bootstrap({ flows: [...] })",
    );
  });

  it('an unknown step: the steps of the flow', async () => {
    expect(await rejected(['run-from', 'hello_world', 'wrold', '-t', '2026112600'])).to.equal(
      "error: flow 'hello_world' has no step 'wrold' (did you mean 'world'?): its steps are 'hello', 'world'",
    );
  });

  it('a bad timeperiod, or none: the expected format, and the command to read about', async () => {
    expect(await rejected(['run', 'hello_world', '-t', '2026113100'])).to.match(
      /^error: option '-t, --timeperiod <timeperiod>' argument '2026113100' is invalid\. invalid timeperiod "2026113100": day 31 does not exist in 2026-11\. Expected ten digits YYYYMMDDHH, .*2026112600 \(daily\).*; see 'node \S+ run --help'$/,
    );
    expect(await rejected(['status', 'hello_world', '-t', '20261126'])).to.match(
      /it has 8 characters, not ten digits \(for the day 2026-11-26 write 2026112600\)\. Expected ten digits YYYYMMDDHH/,
    );
    // Ten characters, not all digits: the length is right, so the message names the character.
    expect(await rejected(['run', 'hello_world', '-t', '2026-12-01'])).to.match(
      /"2026-12-01": '-' at position 5 is not a digit \(for the day 2026-12-01 write 2026120100\)\. Expected ten digits/,
    );
    expect(await rejected(['run', 'hello_world'])).to.match(
      /^error: required option '-t, --timeperiod <timeperiod>' not specified; see 'node \S+ run --help'$/,
    );
  });

  it('a data range that goes backwards: in the options typed, with the order to type them in', async () => {
    for (const command of [
      ['run', 'hello_world'],
      ['run-one', 'hello_world', 'hello'],
    ]) {
      expect(
        await rejected([...command, '-t', '2026112600', '--start-timeperiod', '2026120100', '--end-timeperiod', '2026110100']),
        command[0],
      ).to.equal(
        'error: --start-timeperiod 2026120100 is after --end-timeperiod 2026110100: the range goes forward, e.g. --start-timeperiod 2026110100 --end-timeperiod 2026120100',
      );
    }
  });

  it('a count too large for the machine: the range, before any row is written', async () => {
    // -c 30000000 used to set the flow in_progress, then abort on memory launching the clusters.
    expect(await rejected(['run', 'hello_world', '-t', '2026120100', '-c', '30000000'])).to.match(
      /^error: option '-c, --clusters <count>' argument '30000000' is invalid\. expected a whole number from 1 to 1000, e\.g\. 2; see '.* run --help'$/,
    );
    expect(await rejected(['backfill', 'hello_world', '--from', '2026120100', '--to', '2026120200', '-p', '1001'])).to.match(
      /argument '1001' is invalid\. expected a whole number from 1 to 1000/,
    );
  });

  it('a backfill range of millions of periods: the count and the limit, without listing them', async () => {
    expect(await rejected(['backfill', 'hello_world', '--from', '1000010101', '--to', '9999123123', '--dry-run'])).to.equal(
      'error: --from 1000010101 --to 9999123123 spans 78,892,367 hourly periods, more than the limit of 100,000: check the bounds, or split the range into several backfills',
    );
  });

  it('recover of a run that never happened: the run command to type instead', async () => {
    expect(await rejected(['recover', 'hello_world', '-t', '2026010100'])).to.match(
      /^error: flow 'hello_world' has never run for timeperiod 2026010100: there is nothing to recover; start it with 'node \S+main\.js run hello_world -t 2026010100'$/,
    );
  });

  it('run-one of a blocked step in a timeperiod that never ran: run the flow, not recover, in the command line words', async () => {
    const message = await rejected(['run-one', 'hello_world', 'world', '-t', '2026010100']);
    expect(message).to.match(
      /^error: step 'world' of flow 'hello_world' for timeperiod 2026010100 is blocked: its dependencies 'hello' are not processed; the flow has never run for this timeperiod: start it with 'node \S+main\.js run hello_world -t 2026010100', or run each dependency with 'node \S+main\.js run-one hello_world hello -t 2026010100'$/,
    );
    expect(message).not.to.match(/recover|runFrom|runOne/);
  });

  it('with --json, an error is a JSON object on stdout, nothing on stderr', async () => {
    const { code, stdout, stderr } = await sandbox.run(['status', 'hello_wrold', '--json']);
    expect(code).to.equal(2);
    expect(stderr).to.equal('');
    const { error } = JSON.parse(stdout) as { error: { name: string; code: string; message: string; exitCode: number } };
    expect(error).to.deep.include({ name: 'UnknownFlowError', code: 'ERR_SYNERGY_UNKNOWN_FLOW', exitCode: 2 });
    expect(error.message).to.match(/^unknown flow 'hello_wrold' \(did you mean 'hello_world'\?\)/);
    const usage = await sandbox.run(['run', 'hello_world', '--json']);
    expect(usage.code).to.equal(2);
    expect(JSON.parse(usage.stdout).error).to.deep.include({ name: 'UsageError', code: 'ERR_SYNERGY_CLI_USAGE', exitCode: 2 });
  });

  it('--version, with or without an entry module', async () => {
    const version = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;
    for (const [args, entry] of [
      [['--version'], undefined],
      [['-V'], BIN],
      [['--app', SAMPLE_ENTRY, '--version'], BIN],
    ] as const) {
      const { code, stdout, stderr } = await sandbox.run([...args], { entry });
      expect(code, stderr).to.equal(0);
      expect(stdout).to.equal(`${version}\n`);
    }
  });

  it('--verbose adds the stack trace', async () => {
    const { code, stderr } = await sandbox.run(['--verbose', 'run', 'nope', '-t', '2026112600']);
    expect(code).to.equal(2);
    expect(stderr).to.match(/^error: unknown flow 'nope'.*\nUnknownFlowError: unknown flow 'nope'.*\n\s+at /);
  });

  it('the bin: a missing entry module, an entry without an app, no entry at all', async () => {
    expect(await rejected(['--app', 'dist/nope.js', 'list'], { entry: BIN })).to.match(
      /^error: cannot find the entry module 'dist\/nope\.js' \(\S+\/dist\/nope\.js\): build your project, then pass its compiled entry, e\.g\. --app dist\/main\.js$/,
    );
    expect(await rejected(['--app', 'src/main.ts', 'list'], { entry: BIN })).to.match(
      /\(a \.ts file\? pass its compiled \.js, e\.g\. --app dist\/main\.js\)/,
    );
    // A TypeScript entry that exists: not a bare SyntaxError from Node, but what to pass instead.
    const tsEntry = path.join(sandbox.tmp, 'main.ts');
    fs.writeFileSync(
      tsEntry,
      "import { bootstrap } from 'synergy-flow';\nexport const app: Promise<unknown> = bootstrap({ flows: [] });\n",
    );
    expect(await rejected(['--app', tsEntry, 'list'], { entry: BIN })).to.equal(
      `error: '${tsEntry}' is TypeScript: compile it with tsc, then pass the compiled .js, e.g. --app ${tsEntry.replace(/\.ts$/, '.js')}`,
    );
    expect(await rejected(['--app', NO_APP_ENTRY, 'list'], { entry: BIN })).to.equal(
      `error: '${NO_APP_ENTRY}' does not export an app: export the app from it: \`export const app = bootstrap({ flows: [...] })\` (or export it as default, or a function returning it)`,
    );
    expect(await rejected(['list'], { entry: BIN })).to.equal(
      'error: no entry module: pass --app <entry.js> (or set SYNERGY_FLOW_APP), e.g. synergy-flow --app dist/main.js list',
    );
    // The bin's own hint names the entry the user gave.
    expect(await rejected(['--app', SAMPLE_ENTRY, 'run', 'hello_world'], { entry: BIN })).to.include(
      `see 'synergy-flow --app ${SAMPLE_ENTRY} run --help'`,
    );
  });
});
