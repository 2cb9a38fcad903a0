import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { CliSandbox, GATED_ENTRY } from './support/cli-sandbox';

describe('cli history', function () {
  this.timeout(60_000);
  let sandbox: CliSandbox;
  let marker: string;
  /** The run ids of the runs made in before(), oldest first, as their --json printed them. */
  const runIds: string[] = [];

  before(async () => {
    sandbox = new CliSandbox();
    marker = path.join(sandbox.tmp, `synergy-flow-upstream-2026112700.ready`);
    const run = async (args: string[]) => {
      const { stdout } = await sandbox.run([...args, '--json']);
      runIds.push(JSON.parse(stdout).runId);
    };
    await run(['run', 'fail_then_recover', '-t', '2026112700']);
    fs.writeFileSync(marker, '');
    await run(['recover', 'fail_then_recover', '-t', '2026112700']);
    await run(['run', 'fail_then_recover', '-t', '2026112800']);
  });
  after(() => sandbox.cleanup());

  it("lists the flow's runs newest first: run id, trigger, mode, timeperiod, state, started, duration, host/pid, instance", async () => {
    const { code, stdout } = await sandbox.run(['history', 'fail_then_recover']);
    expect(code).to.equal(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^RUN ID\s+TRIGGER\s+MODE\s+TIMEPERIOD\s+STATE\s+STARTED\s+DURATION\s+HOST\/PID\s+INSTANCE$/);
    expect(lines.at(-1)).to.equal(`(read better-sqlite3 '${sandbox.database}')`);
    const rows = lines.slice(1, -1).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => r.slice(0, 5))).to.deep.equal([
      [runIds[2], 'cli', 'run', '2026112800', 'invalid'],
      [runIds[1], 'cli', 'recover', '2026112700', 'processed'],
      [runIds[0], 'cli', 'run', '2026112700', 'invalid'],
    ]);
    for (const [, , , , , started, duration, hostPid, instance] of rows) {
      expect(started).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(duration).to.match(/^[\d.]+s$/);
      expect(hostPid).to.match(new RegExp(`^${os.hostname().replace(/[.]/g, '\\.')}/\\d+$`));
      // The first 8 characters of the engine's instance id, as FlowLockedError prints it whole.
      expect(instance).to.match(/^[0-9a-f]{8}$/);
    }
    const distinct = new Set(rows.map((r) => r[7]));
    expect(distinct.size, 'each run in its own process').to.equal(3);
    expect(new Set(rows.map((r) => r[8])).size, 'each process its own instance').to.equal(3);
  });

  it('-t keeps one timeperiod, -n limits, --before pages; --json carries every runId and attempt', async () => {
    const one = await sandbox.run(['history', 'fail_then_recover', '-t', '2026112700', '-n', '1', '--json']);
    expect(one.code).to.equal(0);
    const page = JSON.parse(one.stdout);
    expect(page.runs.map((r: { runId: string }) => r.runId)).to.deep.equal([runIds[1]]);
    expect(page.runs[0].instanceId, 'whole in JSON').to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(page.runs[0]).to.include({
      flowName: 'fail_then_recover',
      timeperiod: '2026112700',
      runMode: 'recover',
      trigger: 'cli',
      state: 'processed',
    });
    expect(page.runs[0].attempts.map((a: { stepName: string; state: string }) => `${a.stepName} ${a.state}`)).to.deep.equal([
      'load processed',
      'report processed',
    ]);
    const next = JSON.parse(
      (await sandbox.run(['history', 'fail_then_recover', '-t', '2026112700', '--before', runIds[1], '--json'])).stdout,
    );
    expect(next.runs.map((r: { runId: string }) => r.runId)).to.deep.equal([runIds[0]]);
  });

  it('--json --no-attempts prints the same runs, fields and order as --json, without their attempts', async () => {
    const full = JSON.parse((await sandbox.run(['history', 'fail_then_recover', '--json'])).stdout);
    const { code, stdout } = await sandbox.run(['history', 'fail_then_recover', '--json', '--no-attempts']);
    expect(code).to.equal(0);
    const list = JSON.parse(stdout);
    expect(list.runs.map((r: { runId: string }) => r.runId)).to.deep.equal([runIds[2], runIds[1], runIds[0]]);
    for (const run of list.runs) expect(run, 'no attempts key at all').not.to.have.property('attempts');
    expect(
      full.runs.every((r: { attempts: unknown[] }) => r.attempts.length > 0),
      'the runs did have attempts',
    ).to.equal(true);
    const withoutAttempts = full.runs.map(({ attempts: _, ...run }: { attempts: unknown[] }) => run);
    expect(list).to.deep.equal({ ...full, runs: withoutAttempts });
    const page = JSON.parse(
      (await sandbox.run(['history', 'fail_then_recover', '-t', '2026112700', '-n', '1', '--json', '--no-attempts'])).stdout,
    );
    expect(page.runs.map((r: { runId: string }) => r.runId)).to.deep.equal([runIds[1]]);
  });

  it("--run shows one run's attempts, the failed one with its error", async () => {
    const { code, stdout } = await sandbox.run(['history', 'fail_then_recover', '--run', runIds[0]]);
    expect(code).to.equal(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(
      new RegExp(`^run ${runIds[0]}: fail_then_recover 2026112700 invalid \\(run, cli, [\\d.]+s, .+/\\d+, instance [0-9a-f-]{36}\\)$`),
    );
    expect(lines[1]).to.match(/^STEP\s+ATTEMPT\s+STATE\s+CLUSTER\s+STARTED\s+DURATION\s+ERROR$/);
    expect(lines[2]).to.match(/^fetch\s+1\s+processed\s+\S+\s+\S+ \S+\s+[\d.]+s$/);
    expect(lines[3]).to.match(/^load\s+1\s+invalid\s+\S+\s+\S+ \S+\s+[\d.]+s\s+Error: upstream data is not delivered yet/);
    expect(lines, 'report never started').to.have.length(5);
    const json = JSON.parse((await sandbox.run(['history', 'fail_then_recover', '--run', runIds[0], '--json'])).stdout);
    expect(json).to.include({ runId: runIds[0], state: 'invalid' });
    expect(json.attempts[1]).to.include({ stepName: 'load', attempt: 1, state: 'invalid' });
  });

  it('--run of a killed run: its interrupted attempt names the cluster it started on, while abandoned and once closed', async () => {
    const killed = new CliSandbox();
    try {
      const running = killed.start(['run', 'gated', '-t', '2026112600'], { entry: GATED_ENTRY });
      const [, cluster] = / extract in_progress on (local-\d)\n/.exec(await running.waitFor(/ extract in_progress on local-\d\n/))!;
      running.child.kill('SIGKILL');
      await running.done;
      const history = async (runId: string) =>
        (await killed.run(['history', 'gated', '--run', runId], { entry: GATED_ENTRY })).stdout.trimEnd().split('\n');
      const [{ runId }] = JSON.parse((await killed.run(['history', 'gated', '--json'], { entry: GATED_ENTRY })).stdout).runs;
      expect((await history(runId))[2]).to.match(new RegExp(`^extract\\s+1\\s+in_progress\\s+${cluster}\\s+\\S+ \\S+\\s+[\\d.]+s…$`));

      // The next run closes it as abandoned (its engine's process is gone), recording the attempt.
      for (const step of ['extract', 'transform', 'audit', 'load']) killed.open(step);
      const recovered = await killed.run(['recover', 'gated', '-t', '2026112600'], { entry: GATED_ENTRY });
      expect(recovered.code, recovered.stderr).to.equal(0);
      const [header, columns, extract, ...rest] = await history(runId);
      expect(header).to.match(new RegExp(`^run ${runId}: gated 2026112600 invalid `));
      expect(columns).to.match(/^STEP\s+ATTEMPT\s+STATE\s+CLUSTER\s+/);
      expect(extract).to.match(
        new RegExp(
          `^extract\\s+1\\s+invalid\\s+${cluster}\\s+\\S+ \\S+\\s+[\\d.]+s\\s+its engine stopped before recording how the run ended`,
        ),
      );
      expect(rest, 'no other step started').to.have.length(1);
    } finally {
      killed.cleanup();
    }
  });

  it('bad input: exit 2 with a clear message, and nothing written', async () => {
    const before = sandbox.snapshot();
    const cases: Array<[string[], RegExp]> = [
      [['history', 'nope'], /^error: unknown flow 'nope'/],
      [['history', 'fail_then_recover', '-t', '20261127'], /^error: option '-t, --timeperiod <timeperiod>' argument '20261127' is invalid/],
      [
        ['history', 'fail_then_recover', '-n', '0'],
        /^error: option '-n, --limit <count>' argument '0' is invalid\. expected a whole number from 1 to 1000/,
      ],
      [['history', 'fail_then_recover', '--run', 'x'], /^error: option '--run <runId>' argument 'x' is invalid\. expected a run id/],
      [['history', 'fail_then_recover', '--run', 'zzzzzzzzzzzzzz'], /^error: no run 'zzzzzzzzzzzzzz' in the history/],
      [['history', 'fail_then_recover', '--before', 'zzzzzzzzzzzzzz'], /^error: no run 'zzzzzzzzzzzzzz' of flow 'fail_then_recover'/],
      [
        ['history', 'fail_then_recover', '--run', runIds[0], '--no-attempts'],
        /^error: --run shows one run's attempts and --no-attempts asks for none: leave out --no-attempts, or --run to list the runs/,
      ],
      [
        ['history', 'hello_world', '--run', runIds[0]],
        new RegExp(`^error: run '${runIds[0]}' is a run of flow 'fail_then_recover', not flow 'hello_world'`),
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await sandbox.run(args);
      expect(code, args.join(' ')).to.equal(2);
      expect(stdout, args.join(' ')).to.equal('');
      expect(stderr, args.join(' ')).to.match(message);
    }
    expect(sandbox.snapshot()).to.equal(before);
    const json = await sandbox.run(['history', 'fail_then_recover', '--run', 'zzzzzzzzzzzzzz', '--json']);
    expect(json.code).to.equal(2);
    expect(JSON.parse(json.stdout).error).to.include({ name: 'RunNotFoundError', code: 'ERR_SYNERGY_RUN_NOT_FOUND', exitCode: 2 });
  });

  it('a flow that never ran: an empty list, exit 0, and no database created', async () => {
    const empty = new CliSandbox();
    try {
      const { code, stdout } = await empty.run(['history', 'hello_world']);
      expect(code).to.equal(0);
      expect(stdout).to.match(/^flow 'hello_world' has no run in the history \(read better-sqlite3 '.*synergy-flow\.db'\)\n$/);
      expect(fs.existsSync(empty.database)).to.equal(false);
    } finally {
      empty.cleanup();
    }
  });
});
